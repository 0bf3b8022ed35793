"""The second factor: a TOTP authenticator app (RFC 6238, django-otp's TOTP
device) and single-use recovery codes (django-otp's static device).

Whether a session passed the second factor is kept in the session itself
(django-otp's device key, written at login): checking it costs no query,
so a signed-in request still reads its session, user and memberships in one
statement (sessions.py). Which device it was is not looked up per request;
resetting a user's device ends their sessions instead (signals.py).
"""

from __future__ import annotations

import secrets
from io import BytesIO

from django.conf import settings
from django.db import transaction
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

TOTP_DIGITS = 6
# No 0/o, 1/l/i: a code read off paper is typed right.
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
_RECOVERY_LENGTH = 10
DEVICE_NAME = "casehub"


def required() -> bool:
    """Every person signs in with a second factor (OTP_REQUIRED)."""
    return bool(settings.OTP_REQUIRED)


def session_verified(session) -> bool:
    return session is not None and bool(session.get(DEVICE_ID_SESSION_KEY))


def session_counts(session) -> bool:
    """A signed-in session counts only once it passed the second factor,
    when one is required."""
    return not required() or session_verified(session)


# --- devices ----------------------------------------------------------------

def enrolled(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_device(user) -> TOTPDevice:
    """The unconfirmed authenticator being enrolled (made on first ask, the
    same secret until confirmed, so reloading the page keeps the QR code)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False, digits=TOTP_DIGITS)
    return device


def secret_base32(device: TOTPDevice) -> str:
    """The secret as authenticator apps take it typed in, in groups of four."""
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def qr_svg(device: TOTPDevice) -> bytes:
    """The otpauth:// URI as a QR code, an SVG of paths (no script, no style)."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    out = BytesIO()
    image.save(out)
    return out.getvalue()


def normalise_code(raw: str | None) -> str:
    """A code as typed: spaces and hyphens dropped, lower case."""
    return "".join(ch for ch in (raw or "") if ch not in " -\t").lower()


def is_totp_code(code: str) -> bool:
    return len(code) == TOTP_DIGITS and code.isascii() and code.isdigit()


def is_recovery_code(code: str) -> bool:
    return len(code) == _RECOVERY_LENGTH and all(ch in _RECOVERY_ALPHABET for ch in code)


def verify(user, raw_code: str):
    """The device that accepts this code (a TOTP code of the user's
    authenticator, or one of their recovery codes, which it then uses up),
    or None. A TOTP code is accepted once: the same code again is refused."""
    code = normalise_code(raw_code)
    if is_totp_code(code):
        model = TOTPDevice
    elif is_recovery_code(code):
        model = StaticDevice
    else:
        return None
    with transaction.atomic():
        # Locked while checked: two requests cannot both spend one code.
        for device in model.objects.filter(user=user, confirmed=True).select_for_update():
            if device.verify_token(code):
                return device
    return None


@transaction.atomic
def confirm(user, device: TOTPDevice, raw_code: str) -> bool:
    """Enrolment: the first code from the app proves it holds the secret.
    The confirmed device replaces any earlier authenticator."""
    device = TOTPDevice.objects.select_for_update().filter(pk=device.pk, user=user, confirmed=False).first()
    code = normalise_code(raw_code)
    if device is None or not is_totp_code(code) or not device.verify_token(code):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    for old in TOTPDevice.objects.filter(user=user).exclude(pk=device.pk):
        old._replaced_at_enrolment = True  # not a reset by an administrator (signals.py)
        old.delete()
    return True


def _new_recovery_code() -> str:
    return "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(_RECOVERY_LENGTH))


def format_recovery_code(code: str) -> str:
    return f"{code[:5]}-{code[5:]}"


@transaction.atomic
def issue_recovery_codes(user) -> list[str]:
    """A fresh set of recovery codes, replacing every earlier one; the
    caller shows them once."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name=DEVICE_NAME, defaults={"confirmed": True})
    StaticDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.token_set.all().delete()
    codes = [_new_recovery_code() for _ in range(settings.OTP_RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return [format_recovery_code(code) for code in codes]


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def devices(user) -> list[dict]:
    """The user's second-factor devices as they see them: the authenticator
    (confirmed or being set up) and the recovery codes with how many are
    left. Two queries, whatever the number of codes."""
    from django.db.models import Count

    found = [{"kind": "totp", "name": d.name, "confirmed": d.confirmed, "created_at": d.created_at,
              "last_used_at": d.last_used_at}
             for d in TOTPDevice.objects.filter(user=user).order_by("-confirmed", "pk")]
    for d in StaticDevice.objects.filter(user=user, confirmed=True).annotate(left=Count("token_set")).order_by("pk"):
        found.append({"kind": "recovery", "name": d.name, "confirmed": True, "created_at": d.created_at,
                      "last_used_at": d.last_used_at, "left": d.left})
    return found
