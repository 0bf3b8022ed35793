"""Production profile: everything from the base settings, hardened.

``manage.py check --deploy --fail-level WARNING`` reports nothing here; the
test suite runs that check.
"""

from django.core.exceptions import ImproperlyConfigured

from . import *  # noqa: F403
from . import AUDIT_HMAC_KEY, AUDIT_HMAC_OLD_KEYS, DEBUG, SECRET_KEY
from .env import env_bool, env_int, env_str

if DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in the production profile")
if env_str("SECRET_KEY") is None or len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
    raise ImproperlyConfigured("SECRET_KEY must be set to a random value of at least 50 characters")
# The audit key signs the audit chain; it is not SECRET_KEY (which rotates
# with sessions and would then invalidate the whole log's signatures).
if (env_str("AUDIT_HMAC_KEY") is None or len(AUDIT_HMAC_KEY) < 40 or len(set(AUDIT_HMAC_KEY)) < 10
        or AUDIT_HMAC_KEY == SECRET_KEY or AUDIT_HMAC_KEY in AUDIT_HMAC_OLD_KEYS):
    raise ImproperlyConfigured(
        "AUDIT_HMAC_KEY must be set to a random value of at least 40 characters, other than SECRET_KEY")

# TLS ends at the reverse proxy, which sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"

# collectstatic runs when the image is built: hashed, compressed, cached forever.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = False

# Every person signs in with a second factor (GB/T 22239-2019 8.1.4.1 d);
# turning it off makes `check --deploy` warn (agencies/checks.py).
OTP_REQUIRED = env_bool("OTP_REQUIRED", True)

# The browsable API is a developer aid; production speaks JSON only.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_RENDERER_CLASSES": ["casehub.api.renderers.ORJSONRenderer"],
}
