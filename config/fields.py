"""Serializer fields every app's API uses: a related object by its code, and related fields whose
choices are cut down to the requesting user's scope (another borough's row "does not exist")."""

from rest_framework import serializers


class ScopedQuerysetMixin:
    """A related field whose choices are `queryset.for_user(request.user)`."""

    def get_queryset(self):
        return super().get_queryset().for_user(self.context["request"].user)


class SlugField(serializers.SlugRelatedField):
    """A related object by its code. A NUL in the code (PostgreSQL refuses it in text) is an
    object that does not exist, not a server error."""

    def to_internal_value(self, data):
        if isinstance(data, str) and "\x00" in data:
            self.fail("does_not_exist", slug_name=self.slug_field, value=data.replace("\x00", ""))
        return super().to_internal_value(data)


class ScopedSlugRelatedField(ScopedQuerysetMixin, SlugField):
    pass


class ScopedPrimaryKeyRelatedField(ScopedQuerysetMixin, serializers.PrimaryKeyRelatedField):
    pass
