"""API tokens (django-rest-knox): each lasts API_TOKEN_HOURS, only its hash is stored, and every
token of a user is revoked when the user is deactivated or changes role, boroughs or password
(teams/signals.py calls `revoke_tokens`). Expired tokens are deleted by the nightly clean-up."""

import binascii
import functools
import re
from hmac import compare_digest

from django.contrib.auth import get_user_model
from django.db import connection
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
        for auth_token in _tokens_starting(token[:CONSTANTS.TOKEN_KEY_LENGTH]):
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


def _tokens_starting(key: str) -> list:
    """The tokens whose key is `key`, each with its user (`select_related`) and the user's
    borough ids (`user_borough_ids`), in one query. Written as SQL once (from the models' own
    tables and columns) because it runs on every API request: compiling it through the ORM
    took 1.0 ms of CPU on the project's 2-core machine, the query itself 0.2 ms. The rows
    become model instances as the ORM makes them (`Model.from_db`, each field's
    `from_db_value`); tests/config/test_tokens.py holds them equal to the ORM's."""
    sql, token_fields, user_fields = _token_query()
    with connection.cursor() as cursor:
        cursor.execute(sql, [key])
        rows = cursor.fetchall()
    user_model, n = get_user_model(), len(token_fields)
    found = []
    for row in rows:
        auth_token = _from_db(AuthToken, token_fields, row[:n])
        auth_token.user = _from_db(user_model, user_fields, row[n:-1])
        auth_token.user_borough_ids = row[-1]
        found.append(auth_token)
    return found


def _from_db(model, fields, values):
    values = [f.from_db_value(v, None, connection) if hasattr(f, "from_db_value") else v
              for f, v in zip(fields, values, strict=True)]
    return model.from_db(connection.alias, [f.attname for f in fields], values)


@functools.cache
def _token_query() -> tuple[str, list, list]:
    user_model, q = get_user_model(), connection.ops.quote_name
    token_fields = list(AuthToken._meta.concrete_fields)
    user_fields = list(user_model._meta.concrete_fields)
    through = user_model.boroughs.through._meta
    user_fk = AuthToken._meta.get_field("user").column
    columns = ", ".join([*(f"t.{q(f.column)}" for f in token_fields),
                         *(f"u.{q(f.column)}" for f in user_fields)])
    sql = (
        f"SELECT {columns}, ARRAY(SELECT b.{q(through.get_field('borough').column)} "
        f"FROM {q(through.db_table)} b WHERE b.{q(through.get_field('user').column)} = "
        f"t.{q(user_fk)}) FROM {q(AuthToken._meta.db_table)} t "
        f"JOIN {q(user_model._meta.db_table)} u ON u.{q(user_model._meta.pk.column)} = "
        f"t.{q(user_fk)} WHERE t.{q(AuthToken._meta.get_field('token_key').column)} = %s"
    )
    return sql, token_fields, user_fields


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
