"""A user's API tokens are revoked the moment what they grant changes: the account is
deactivated, or its role, boroughs or password change. (A session needs no such help: Django
checks the password hash and `is_active` on every request, and the role and boroughs are read
fresh each time.)"""

from django.db.models.signals import m2m_changed, post_save, pre_save
from django.dispatch import receiver

from config.tokens import revoke_tokens
from teams.models import User

# What a token's holder may do depends on these columns.
GRANTING_FIELDS = ("is_active", "role", "password")


@receiver(pre_save, sender=User, dispatch_uid="teams.user_grants_before")
def _remember_grants(sender, instance, raw=False, update_fields=None, **kwargs):
    instance._grants_before = None
    if raw or instance.pk is None:
        return
    if update_fields is not None and not set(update_fields) & set(GRANTING_FIELDS):
        return  # e.g. last_login at sign-in: nothing a token grants
    instance._grants_before = (
        User.objects.filter(pk=instance.pk).values_list(*GRANTING_FIELDS).first()
    )


@receiver(post_save, sender=User, dispatch_uid="teams.user_grants_after")
def _revoke_if_grants_changed(sender, instance, created, raw=False, **kwargs):
    before = getattr(instance, "_grants_before", None)
    if raw or created or before is None:
        return
    after = tuple(getattr(instance, field) for field in GRANTING_FIELDS)
    if after != before:
        revoke_tokens(instance.pk)


@receiver(m2m_changed, sender=User.boroughs.through, dispatch_uid="teams.user_boroughs")
def _revoke_if_boroughs_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action in {"post_add", "post_remove"} and pk_set:
        changed = pk_set if reverse else {instance.pk}
    elif action == "pre_clear":
        # Changed from the borough's side, every user of the borough loses it.
        changed = set(instance.users.values_list("pk", flat=True)) if reverse else {instance.pk}
    else:
        return
    for user_id in changed:
        revoke_tokens(user_id)
