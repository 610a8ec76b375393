"""Every serializer, page form and FilterSet of the code, found rather than listed, so that a
test over a class of fields (choices, dates) covers a new one the day it is added."""

import importlib
import inspect

from django import forms
from rest_framework import relations, serializers

from config.layers import LAYERS

PACKAGES = {package for _name, packages in LAYERS for package in packages}
MODULES = ("serializers", "api", "forms", "filters", "views", "admin")


def _import_everything() -> None:
    for package in PACKAGES:
        for module in MODULES:
            try:
                importlib.import_module(f"{package}.{module}")
            except ModuleNotFoundError as exc:
                if exc.name not in (package, f"{package}.{module}"):
                    raise


def _ours(cls) -> bool:
    """Defined in the application (the admin's forms are built by the admin: test_admin)."""
    return cls.__module__.split(".")[0] in PACKAGES and not cls.__module__.endswith(".admin")


def subclasses(base) -> list[type]:
    """Every class of the application deriving from `base`, in a stable order."""
    _import_everything()
    seen, stack = set(), [base]
    while stack:
        for sub in stack.pop().__subclasses__():
            if sub not in seen:
                seen.add(sub)
                stack.append(sub)
    return sorted((c for c in seen if _ours(c)), key=lambda c: (c.__module__, c.__qualname__))


def serializers_of_the_code(request) -> list:
    """An instance of every serializer (list serializers apart), with `request` in context."""
    return [
        cls(context={"request": request})
        for cls in subclasses(serializers.BaseSerializer)
        if not issubclass(cls, serializers.ListSerializer)
    ]


def writable_fields(serializer, prefix=""):
    """(name, field) of every writable field, nested serializers' included; the child of a
    list or many-related field stands for it."""
    for name, field in serializer.fields.items():
        if field.read_only:
            continue
        if isinstance(field, serializers.ListSerializer):
            field = field.child
        if isinstance(field, serializers.BaseSerializer):
            yield from writable_fields(field, f"{prefix}{name}.")
            continue
        if isinstance(field, relations.ManyRelatedField):
            field = field.child_relation
        if isinstance(field, serializers.ListField):
            field = field.child
        yield prefix + name, field


def build_form(cls, own: dict):
    """The form as its view builds it: each keyword its __init__ needs comes from `own` (the
    records the view fetched through the user's scope)."""
    kwargs = {}
    for klass in cls.__mro__:
        init = klass.__dict__.get("__init__")
        if init is None or klass.__module__.split(".")[0] not in PACKAGES:
            continue
        for param in inspect.signature(init).parameters.values():
            if param.kind is param.KEYWORD_ONLY and param.default is param.empty:
                assert param.name in own, f"{cls.__name__} needs {param.name}: add it to `own`"
                kwargs[param.name] = own[param.name]
    return cls(**kwargs)


def forms_of_the_code(own: dict) -> list:
    return [build_form(cls, own) for cls in subclasses(forms.BaseForm)]
