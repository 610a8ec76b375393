"""A ward or a borough as a person types it: its ONS code, or its name, within the user's
boroughs. One resolver for every place a person types one (list filters on pages and in the API,
the roster CSV, forms).

- A name is compared folded: case, accents, spaces, hyphens, apostrophes and full stops do not
  count, and "&" is "and" ("Regents Park" is "Regent's Park", "st pancras & somers town" is
  "St Pancras and Somers Town").
- Ten ward names repeat across London's boroughs (Regent's Park, Kilburn, Highgate…). A name that
  matches wards of more than one of the user's boroughs is an error listing the candidates with
  their boroughs; "Regent's Park (Camden)" — the way the candidates are listed — picks one.
- A name or code matching nothing in the user's boroughs is an error that says so, with the
  nearest names when there are any (wards.search). Another borough's ward and a ward that does not
  exist get the same answer: the error tells an outsider nothing.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable

from django import forms
from django.core.exceptions import ValidationError

from wards.models import Borough, Ward
from wards.search import wards_named

# An ONS code: E05 (a ward) or E09 (a borough) and six digits.
_CODE = re.compile(r"^[Ee]0[59]\d{6}$")
# "Regent's Park (Camden)" or "Regent's Park, Camden": a ward name and its borough.
_WITH_BOROUGH = re.compile(r"^(?P<ward>.+?)\s*(?:\((?P<b1>[^()]+)\)|,\s*(?P<b2>[^,]+))$")
_DROPPED = str.maketrans("", "", "'’‘`.-–,_ \t")
MAX_TYPED = 120


def fold_name(text: str) -> str:
    """The form two names are compared in: no accents, lower case, "&" read as "and", and no
    apostrophes, full stops, hyphens or spaces."""
    text = unicodedata.normalize("NFKD", str(text))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return text.lower().replace("&", "and").translate(_DROPPED)


def _tidy(text) -> str:
    return " ".join(str(text or "").replace("\x00", "").split())[:MAX_TYPED]


def _refusal(message: str, code: str) -> ValidationError:
    """A ValidationError whose message may hold what a person typed, "%" and all: the text goes
    in as a parameter, so neither Django nor django-filter reads it as a format."""
    return ValidationError("%(message)s", code=code, params={"message": message})


def ward_label(ward) -> str:
    """How a ward is named where its name alone may be ambiguous."""
    return f"{ward.name} ({ward.borough.name})"


class WardNames:
    """The wards a user may name, indexed by code and by folded name; resolving a typed text
    costs no query. Build one per request or per import (`for_user`)."""

    def __init__(self, wards: Iterable[Ward]):
        self.by_code: dict[str, Ward] = {}
        self.by_name: dict[str, list[Ward]] = defaultdict(list)
        for ward in wards:
            self.by_code[ward.code.upper()] = ward
            self.by_name[fold_name(ward.name)].append(ward)

    @classmethod
    def for_user(cls, user) -> WardNames:
        wards = Ward.objects.for_user(user) if user is not None else Ward.objects.all()
        return cls(wards.select_related("borough").defer("boundary"))

    def resolve(self, text, *, what: str = "ward") -> Ward:
        """The one ward `text` names (a code or a name), else ValidationError (code
        "unknown_ward" or "ambiguous_ward") in plain words."""
        typed = _tidy(text)
        if not typed:
            raise ValidationError(f"Enter a {what} name or ONS code", code="required")
        ward = self.by_code.get(typed.upper())
        if ward is not None:
            return ward
        matches = self.by_name.get(fold_name(typed), [])
        if not matches:
            matches = self._with_borough(typed)
        if len(matches) == 1:
            return matches[0]
        if matches:
            listed = "; ".join(f"{ward_label(w)}, {w.code}" for w in _ordered(matches))
            raise _refusal(
                f"More than one ward in your boroughs is called {typed}: {listed}. "
                "Choose one by its borough or ONS code",
                "ambiguous_ward",
            )
        raise _refusal(self._unknown_message(typed, what), "unknown_ward")

    def _with_borough(self, typed: str) -> list[Ward]:
        found = _WITH_BOROUGH.match(typed)
        if not found:
            return []
        borough = fold_name(found["b1"] or found["b2"])
        return [
            w for w in self.by_name.get(fold_name(found["ward"]), [])
            if fold_name(w.borough.name) == borough or w.borough.code.lower() == borough
        ]

    def _unknown_message(self, typed: str, what: str) -> str:
        message = f"No {what} called {typed} in your boroughs"
        if _CODE.match(typed):
            return f"No {what} with the ONS code {typed.upper()} in your boroughs"
        near = self._nearest(typed)
        return f"{message}. Did you mean {near}?" if near else message

    def _nearest(self, typed: str) -> str:
        """Up to three names like the typed one among these wards (pg_trgm, wards.search)."""
        ids = [w.pk for w in self.by_code.values()]
        near = wards_named(typed, queryset=Ward.objects.filter(pk__in=ids), limit=3)
        return " or ".join(ward_label(w) for w in near)


def _ordered(wards: Iterable[Ward]) -> list[Ward]:
    return sorted(wards, key=lambda w: (w.borough.name, w.name, w.code))


def resolve_ward(text, user) -> Ward:
    """The ward `text` names among the user's (a code or a name): see WardNames.resolve."""
    return WardNames.for_user(user).resolve(text)


def resolve_borough(text, user) -> Borough:
    """The one of the user's boroughs `text` names: its ONS code or its name, folded."""
    typed = _tidy(text)
    if not typed:
        raise ValidationError("Enter a borough name or ONS code", code="required")
    boroughs = Borough.objects.for_user(user) if user is not None else Borough.objects.all()
    wanted = fold_name(typed)
    for borough in boroughs.only("pk", "code", "name", "bcu_id"):
        if borough.code.upper() == typed.upper() or fold_name(borough.name) == wanted:
            return borough
    if _CODE.match(typed):
        raise _refusal(
            f"No borough with the ONS code {typed.upper()} in your boroughs", "unknown_borough"
        )
    raise _refusal(f"No borough called {typed} in your boroughs", "unknown_borough")


class _NameField(forms.CharField):
    """A text field whose value is a ward or borough resolved within `user`'s boroughs (set by
    the filter or form that owns the field; None resolves across London)."""

    user = None

    def to_python(self, value):
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        return self.resolve(text)


class WardNameField(_NameField):
    def resolve(self, text):
        return WardNames.for_user(self.user).resolve(text)


class BoroughNameField(_NameField):
    def resolve(self, text):
        return resolve_borough(text, self.user)


def user_of(request):
    """The user a filter resolves names for: the request's, else None (across London: the list
    itself is scoped, so only names of wards that exist anyway are read)."""
    return getattr(request, "user", None) if request is not None else None

