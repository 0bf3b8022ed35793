"""Sign-ins and sign-outs in the audit log, from Django's own signals, so
that every login form (the site's, the admin's, the browsable API's) and
every step a login may gain (a second factor) is covered where it ends:

- `user_logged_in` (django.contrib.auth.login ran): ``login``, allowed;
- `user_login_failed`: ``login.failed``, denied, or ``login.locked_out``
  while the throttle holds the username or address (login_throttle.py):
  the username tried and the address, never the password. The entry names
  the account tried, when it exists, and its agency, whose auditors see it.
  A later step that fails (a wrong second-factor code) sends the same
  signal with ``reason="second_factor"`` (any short word);
- `user_logged_out`: ``logout``.

GB/T 22239-2019 8.1.4.3 asks for the audit of important user behaviour and
security events, with the date, user, type and result of each.
"""

from __future__ import annotations

from contextvars import ContextVar

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from casehub import audit
from casehub.models import AuditEntry

from .models import Membership
from .services.input import clean

# Set by the backend when it refused to check a password because the
# username or the address is locked out; read (and cleared) by the signal
# that follows in the same call to authenticate().
_locked_out: ContextVar[bool] = ContextVar("casehub_login_locked_out", default=False)


def note_attempt(*, locked: bool) -> None:
    _locked_out.set(locked)


def _path(request) -> str:
    return clean(request.path, 200) if request is not None and hasattr(request, "path") else ""


def _agency_of(user) -> int | None:
    if user.service_agency_id is not None:
        return user.service_agency_id
    return (Membership.objects.current().filter(user=user).order_by("agency_id")
            .values_list("agency_id", flat=True).first())


@receiver(user_logged_in, dispatch_uid="audit_login")
def audit_login(sender, request, user, **kwargs):
    agency_id = _agency_of(user)
    audit.record(user=user, action="login", object_type="user", object_id=user.pk, request=request,
                 agency_id=agency_id, owner_agency_id=agency_id,
                 detail={"username": user.username, "path": _path(request)})


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def audit_login_failed(sender, credentials, request=None, **kwargs):
    locked = _locked_out.get()
    _locked_out.set(False)
    User = get_user_model()
    tried = credentials.get(User.USERNAME_FIELD, credentials.get("username", ""))
    username = clean(tried if isinstance(tried, str) else "", 150)
    account = None
    if username and username == tried:  # a name with control characters names no account
        account = User.objects.filter(**{User.USERNAME_FIELD: username}).first()
    reason = clean(kwargs.get("reason") or ("locked_out" if locked else "bad_credentials"), 40)
    audit.record(user=None, action="login.locked_out" if locked else "login.failed", object_type="user",
                 object_id=account.pk if account else "", result=AuditEntry.RESULT_DENIED, request=request,
                 owner_agency_id=_agency_of(account) if account else None,
                 detail={"username": username, "reason": reason, "path": _path(request)})


@receiver(user_logged_out, dispatch_uid="audit_logout")
def audit_logout(sender, request, user, **kwargs):
    if user is None or not user.is_authenticated:
        return
    agency_id = _agency_of(user)
    audit.record(user=user, action="logout", object_type="user", object_id=user.pk, request=request,
                 agency_id=agency_id, owner_agency_id=agency_id, detail={"path": _path(request)})
