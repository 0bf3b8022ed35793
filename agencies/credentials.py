"""When a credential stops signing its user in: the `credentials_ended`
signal, sent after commit, for whoever holds something open on it (the
notification sockets subscribe from their AppConfig.ready(); the core knows
nothing of them).

    credentials_ended(sender, user_id, session_key=None, token_id=None, reason)

- session_key: that session ended (logout). Whoever holds it stops at once.
- token_id: that API token ended (revoked, expired, deleted).
- neither: something about the user changed (deactivated, password
  changed, a membership ended); each of the user's sessions and tokens must
  be checked again (credential_checks.py), some may still be good.

It is sent from here for every change made through the models (save and
delete, the admin and the API included) and for Django's logout. A change
made around the models (`QuerySet.update()`, raw SQL, a row deleted by
hand) sends nothing; call `announce()` after it, or the sockets' periodic
sweep finds it within NOTIFICATIONS_RESYNC_SECONDS.
"""

from __future__ import annotations

import logging

from django.contrib.auth.signals import user_logged_out
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import Signal, receiver

from .models import Agency, ApiToken, Membership, User

log = logging.getLogger("casehub.credentials")

credentials_ended = Signal()

# Reasons (also the close reason a socket is given, README "Sessions and sockets").
LOGOUT = "logout"
TOKEN_REVOKED = "token_revoked"
TOKEN_EXPIRED = "token_expired"
TOKEN_ENDED = "token_ended"  # deleted
DEACTIVATED = "deactivated"
PASSWORD_CHANGED = "password_changed"
MEMBERSHIP_ENDED = "membership_ended"


def announce(user_id, *, reason: str, session_key: str | None = None, token_id: int | None = None,
             using: str | None = None) -> None:
    """Send credentials_ended once the current transaction commits (at once
    outside one). A failing receiver is logged; it never undoes the change."""

    def send():
        for receiver_, error in credentials_ended.send_robust(
            sender=User, user_id=user_id, session_key=session_key, token_id=token_id, reason=reason
        ):
            if isinstance(error, Exception):
                log.error("credentials_ended receiver %r failed", receiver_, exc_info=error)

    transaction.on_commit(send, using=using)


# --- sessions ------------------------------------------------------------------
@receiver(user_logged_out, dispatch_uid="credentials_logout")
def _logged_out(sender, request, user, **kwargs):
    key = getattr(getattr(request, "session", None), "session_key", None)
    if user is not None and key:
        announce(user.pk, session_key=key, reason=LOGOUT)


# --- users: deactivation and password change ---------------------------------------
_WATCHED_USER_FIELDS = {"is_active", "password"}


@receiver(pre_save, sender=User, dispatch_uid="credentials_user_before")
def _user_before(sender, instance, update_fields=None, raw=False, **kwargs):
    instance._credentials_before = None
    if raw or instance.pk is None or (update_fields is not None and not _WATCHED_USER_FIELDS & set(update_fields)):
        return  # e.g. last_login at sign-in: no read
    instance._credentials_before = User.objects.filter(pk=instance.pk).values_list("is_active", "password").first()


@receiver(post_save, sender=User, dispatch_uid="credentials_user_after")
def _user_after(sender, instance, created, using=None, **kwargs):
    before = getattr(instance, "_credentials_before", None)
    instance._credentials_before = None
    if created or before is None:
        return
    was_active, old_password = before
    if was_active and not instance.is_active:
        announce(instance.pk, reason=DEACTIVATED, using=using)
    elif old_password != instance.password:
        announce(instance.pk, reason=PASSWORD_CHANGED, using=using)


@receiver(post_delete, sender=User, dispatch_uid="credentials_user_deleted")
def _user_deleted(sender, instance, using=None, **kwargs):
    announce(instance.pk, reason=DEACTIVATED, using=using)


# --- API tokens ------------------------------------------------------------------
@receiver(post_save, sender=ApiToken, dispatch_uid="credentials_token_saved")
def _token_saved(sender, instance, created, using=None, **kwargs):
    if instance.is_revoked:
        announce(instance.user_id, token_id=instance.pk, reason=TOKEN_REVOKED, using=using)
    elif instance.is_expired:
        announce(instance.user_id, token_id=instance.pk, reason=TOKEN_EXPIRED, using=using)


@receiver(post_delete, sender=ApiToken, dispatch_uid="credentials_token_deleted")
def _token_deleted(sender, instance, using=None, **kwargs):
    announce(instance.user_id, token_id=instance.pk, reason=TOKEN_ENDED, using=using)


# --- memberships and agencies ---------------------------------------------------------
@receiver(post_save, sender=Membership, dispatch_uid="credentials_membership_saved")
def _membership_saved(sender, instance, created, using=None, **kwargs):
    if instance.ended_at is not None:
        announce(instance.user_id, reason=MEMBERSHIP_ENDED, using=using)


@receiver(post_delete, sender=Membership, dispatch_uid="credentials_membership_deleted")
def _membership_deleted(sender, instance, using=None, **kwargs):
    announce(instance.user_id, reason=MEMBERSHIP_ENDED, using=using)


@receiver(post_save, sender=Agency, dispatch_uid="credentials_agency_saved")
def _agency_saved(sender, instance, created, using=None, **kwargs):
    # signals.agency_remember_active kept what it was before the save.
    if not created and getattr(instance, "_was_active", None) and not instance.active:
        members = set(Membership.objects.filter(agency=instance, ended_at__isnull=True).values_list("user_id", flat=True))
        members |= set(User.objects.filter(service_agency=instance).values_list("pk", flat=True))
        for user_id in sorted(members):
            announce(user_id, reason=MEMBERSHIP_ENDED, using=using)
