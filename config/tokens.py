"""API tokens (django-rest-knox): each lasts API_TOKEN_HOURS, only its hash is stored, and every
token of a user is revoked when the user is deactivated or changes role, boroughs or password
(teams/signals.py calls `revoke_tokens`). Expired tokens are deleted by the nightly clean-up."""

import binascii
import re
from hmac import compare_digest

from django.contrib.auth import get_user_model
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from knox.auth import TokenAuthentication
from knox.crypto import hash_token
from knox.models import AuthToken
from knox.settings import CONSTANTS, knox_settings
from rest_framework import exceptions

from config.access import is_constable, remember_borough_ids

# What knox issues: hexadecimal, AUTH_TOKEN_CHARACTER_LENGTH long. Anything else is refused
# before a query (it could hold bytes the database cannot compare, or not be UTF-8 at all).
_TOKEN_SHAPE = re.compile(rb"[0-9a-f]{%d}" % knox_settings.AUTH_TOKEN_CHARACTER_LENGTH)


class ExpiringTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <token>`. One query per request, which reads the token, its user
    and the user's boroughs (config.access.borough_ids then asks nothing more): only the token
    presented is checked for expiry (knox would also sweep the user's other tokens on every
    request). Otherwise knox's own check: the tokens starting with the same characters, the one
    whose SHA-512 digest matches, refreshed if knox's AUTO_REFRESH is on, its user active."""

    def authenticate_credentials(self, token: bytes):
        if not _TOKEN_SHAPE.fullmatch(token):
            raise exceptions.AuthenticationFailed("Invalid token.")
        user, auth_token = self._check(token.decode())
        if is_constable(user):  # constables work on the service's pages alone (config.access)
            raise exceptions.PermissionDenied("Constables use the service's pages, not the API.")
        return user, auth_token

    def _check(self, token: str):
        boroughs = get_user_model().boroughs.through.objects.filter(
            user_id=OuterRef("user_id")).values("borough_id")
        candidates = (AuthToken.objects.filter(token_key=token[:CONSTANTS.TOKEN_KEY_LENGTH])
                      .select_related("user").annotate(user_borough_ids=ArraySubquery(boroughs)))
        for auth_token in candidates:
            if self._cleanup_token(auth_token):
                continue
            try:
                digest = hash_token(token)
            except (TypeError, binascii.Error):
                raise exceptions.AuthenticationFailed("Invalid token.") from None
            if compare_digest(digest, auth_token.digest):
                if knox_settings.AUTO_REFRESH and auth_token.expiry:
                    self.renew_token(auth_token)
                remember_borough_ids(auth_token.user, auth_token.user_borough_ids)
                return self.validate_user(auth_token)
        raise exceptions.AuthenticationFailed("Invalid token.")

    def _cleanup_token(self, auth_token) -> bool:
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            auth_token.delete()
            return True
        return False


class ExpiringTokenScheme(OpenApiAuthenticationExtension):
    """How the OpenAPI schema describes the token (as knox's own extension does for knox)."""

    target_class = ExpiringTokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix=knox_settings.AUTH_HEADER_PREFIX
        )


def issue_token(user) -> tuple[str, object]:
    """A new token for `user`: the token itself (shown once) and when it expires."""
    instance, token = AuthToken.objects.create(user=user)
    return token, instance.expiry


def revoke_tokens(user_id: int) -> int:
    """Delete every token of the user; returns how many there were."""
    deleted, _ = AuthToken.objects.filter(user_id=user_id).delete()
    return deleted


def delete_expired_tokens() -> int:
    deleted, _ = AuthToken.objects.filter(expiry__lt=timezone.now()).delete()
    return deleted
