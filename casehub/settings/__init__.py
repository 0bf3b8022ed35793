"""casehub settings, read from the environment (see settings/env.py).

Defaults suit a single developer machine: a SQLite file, the in-memory
channel layer and the database search backend. The production profile is
``casehub.settings.production``.
"""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from .env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

DEBUG = env_bool("DEBUG", False)
# The development key is only ever used when SECRET_KEY is unset; the
# production profile refuses to start without a real one.
SECRET_KEY = env_str("SECRET_KEY", "casehub-development-only-key-not-for-production-use-0123456789")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "casehub.admin_site.CasehubAdminConfig",  # django.contrib.admin, with the second factor (admin_site.py)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "guardian",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "channels",
    "django_htmx",
    "agencies",
    "casehub",
    "search",
    "notifications",
    "disclosure",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "agencies.signed_out.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A session counts only once it passed the second factor (when required).
    "agencies.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # request.htmx: the web UI answers an HTMX request with a fragment (casehub/web/rendering.py).
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "casehub.urls"
ASGI_APPLICATION = "casehub.asgi.application"
WSGI_APPLICATION = None

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "casehub" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                # The frame of every page: navigation, current agency, unread count.
                "casehub.web.frame.frame",
            ],
        },
    },
]

# --- database -------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'casehub.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 0))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Bind parameters on the server so psycopg can prepare statements the app
    # repeats (list pages, access checks): PostgreSQL then plans them once per
    # connection instead of on every request. Set DB_PREPARE_THRESHOLD=0 behind
    # a transaction-pooling proxy (pgbouncer), which cannot keep them.
    threshold = env_int("DB_PREPARE_THRESHOLD", 5)
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"server_side_binding": True, "prepare_threshold": threshold or None}
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets the worker and the web server share the file without
    # "database is locked" on every concurrent write.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE", "timeout": 20}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- channel layer --------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    # The pub/sub layer: no per-channel queues in Redis, several times faster
    # than the core layer for fan-out to sockets.
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL]},
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# --- cache ------------------------------------------------------------------
# Rate limits (the public disclosure API, logins) must be shared by every
# server process, or each process would grant the whole budget again: with
# Redis, the cache lives there. Alone (`make run`, one process) memory will do.
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "casehub",
        }
    }

# --- notifications ----------------------------------------------------------
# A push waits at most this long for the channel layer; then it is queued
# for the worker to retry, and the request goes on.
NOTIFICATIONS_PUSH_TIMEOUT = 2.0
# After a failed push, seconds during which pushes go straight to the outbox.
NOTIFICATIONS_PUSH_PAUSE = 5.0
# Seconds a new socket may take to say its last id before it goes live.
NOTIFICATIONS_RESUME_GRACE = 2.0
# Seconds between a socket's checks against its inbox (pushes lost while
# Redis was down still arrive).
NOTIFICATIONS_RESYNC_SECONDS = 10.0
# Largest frame a client may send (bytes); larger ones close the socket.
NOTIFICATIONS_MAX_FRAME = 4096

# --- search ---------------------------------------------------------------
ELASTICSEARCH_URL = env_str("ELASTICSEARCH_URL")
# osmem-server refuses the ES 8 client's compatibility media type; only the
# test server needs plain JSON, real Elasticsearch must keep the default.
ELASTICSEARCH_PLAIN_JSON = env_bool("ELASTICSEARCH_PLAIN_JSON", False)
# The built-in cjk analyzer needs no plugin; production names smartcn or
# ik_max_word (installed by docker-compose).
SEARCH_CHINESE_ANALYZER = env_str("SEARCH_CHINESE_ANALYZER", "cjk")
SEARCH_INDEX_ALIAS = env_str("SEARCH_INDEX_ALIAS", "casehub-cases")

# --- authentication -------------------------------------------------------
AUTH_USER_MODEL = "agencies.User"
AUTHENTICATION_BACKENDS = [
    "agencies.backends.OfficerModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# casehub never grants object permissions to anonymous users, so guardian's
# database row for them is not needed.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False
GUARDIAN_RENDER_403 = False

# AUTH_PASSWORD_VALIDATORS: see "second factor, passwords and tokens" below.
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:workbench"
LOGOUT_REDIRECT_URL = "login"
SESSION_ENGINE = "agencies.sessions"
# Password logins: after this many failures in the window, a username (or a
# client address) is locked out until the window ends (agencies/login_throttle.py).
LOGIN_THROTTLE = {"per_username": 5, "per_address": 30, "window_seconds": 15 * 60}

# Tokens are refreshed in last_used at most this often, so authenticated
# API traffic does not write on every request.
API_TOKEN_LAST_USED_RESOLUTION_SECONDS = 60

# --- REST API -------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "agencies.authentication.ApiTokenAuthentication",
        # The web UI's own requests; a session counts once it passed the second factor.
        "agencies.authentication.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "casehub.api.ordering.DeclaredOrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "casehub.api.pagination.StandardPagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": [
        "casehub.api.renderers.ORJSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    # Parsers and throttles: see "input limits, headers and degraded modes" below.
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    # Refusals raised by services become 400/403/404/409 here, once.
    "EXCEPTION_HANDLER": "casehub.api.exceptions.exception_handler",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "casehub API",
    "DESCRIPTION": "Cases, transfers and disclosures shared between the IP-protection agencies of 宜荆荆恩.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    # Several vocabularies share a field name (kind, role): name each enum.
    "ENUM_NAME_OVERRIDES": {
        "AgencyKindEnum": "agencies.models.agency.AgencyKind",
        "AgencyRoleEnum": "agencies.roles.Role",
        "CaseKindEnum": "casehub.vocabulary.CaseKind",
        "PartyKindEnum": "casehub.vocabulary.PartyKind",
        "PartyRoleEnum": "casehub.vocabulary.PartyRole",
        "CaseStatusEnum": "casehub.rules.workflow.Status",
        "TransferKindEnum": "casehub.rules.transfers.TransferKind",
        "TransferStatusEnum": "casehub.rules.transfers.TransferStatus",
        "MaterialKindEnum": "casehub.rules.transfers.MaterialKind",
        "NotificationKindEnum": "notifications.kinds.Kind",
        "NotificationScopeEnum": "notifications.kinds.Scope",
    },
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- internationalisation -------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- files ----------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
S3_BUCKET = env_str("S3_BUCKET")
if S3_BUCKET:
    # Evidence in an S3-compatible store (MinIO, OSS, COS, S3). Objects stay
    # private: downloads always pass through the permission-checked endpoint.
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env_str("S3_ENDPOINT_URL"),
            "region_name": env_str("S3_REGION"),
            "access_key": env_str("S3_ACCESS_KEY_ID"),
            "secret_key": env_str("S3_SECRET_ACCESS_KEY"),
            "default_acl": "private",
            "file_overwrite": False,
            "querystring_auth": True,
        },
    }
# Outside production, static files are served straight from the apps, so
# nothing needs collectstatic first.
WHITENOISE_USE_FINDERS = True

# The largest evidence file accepted (bytes); Django spools bigger uploads to disk.
CASEHUB_MAX_UPLOAD_BYTES = env_int("MAX_UPLOAD_BYTES", 50 * 1024 * 1024)
# The largest request body besides uploaded files (bytes): a 413 beyond it.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("MAX_REQUEST_BYTES", 5 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

# --- trust layer: audit chain and retention -----------------------------------
# The audit chain's HMAC key (casehub/audit_chain.py). Never stored in the
# database: whoever can rewrite the tables cannot re-sign what they changed.
# The development key is used only when AUDIT_HMAC_KEY is unset; the production
# profile refuses to start without a strong one of its own.
AUDIT_HMAC_KEY = env_str("AUDIT_HMAC_KEY", "casehub-development-only-audit-key-not-for-production")
# Keys retired by a rotation: they verify what they signed, sign nothing new.
AUDIT_HMAC_OLD_KEYS = env_list("AUDIT_HMAC_OLD_KEYS", [])
# An append-only file that mirrors every checkpoint outside the database
# (put it where the database's administrators cannot write); unset: none.
AUDIT_CHECKPOINT_FILE = env_str("AUDIT_CHECKPOINT_FILE")
# Audit entries stay online at least this many days; older ones may be moved
# to a signed archive (manage.py audit_archive). 网络安全法 art. 21 and
# GB/T 22239-2019 level 3 ask for at least six months.
AUDIT_MIN_RETENTION_DAYS = 180
AUDIT_RETENTION_DAYS = env_int("AUDIT_RETENTION_DAYS", AUDIT_MIN_RETENTION_DAYS)
if AUDIT_RETENTION_DAYS < AUDIT_MIN_RETENTION_DAYS:
    raise ImproperlyConfigured(f"AUDIT_RETENTION_DAYS must be at least {AUDIT_MIN_RETENTION_DAYS}")

# --- trust layer: sessions and sockets ------------------------------------------
# A web session ends after SESSION_IDLE_TIMEOUT seconds without a request
# (GB/T 22239-2019 8.1.4.1 b: a connection that times out is signed out), and
# SESSION_ABSOLUTE_LIFETIME seconds after sign-in whatever the activity. Both
# are enforced on the server (the session row), not just by the cookie.
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 30 * 60)
# SESSION_COOKIE_AGE is the older name of the absolute lifetime, still read.
SESSION_ABSOLUTE_LIFETIME = env_int("SESSION_ABSOLUTE_LIFETIME", env_int("SESSION_COOKIE_AGE", 8 * 3600))
# The cookie lives as long as the session may; it is re-sent only when the
# session changes, so it never outlives the absolute lifetime.
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_LIFETIME
# Activity is written to the session row at most this often (seconds; at most
# half the idle timeout), not on every request: an idle timeout of 30 minutes
# then ends a session 29 to 30 minutes after its last request.
SESSION_ACTIVITY_RESOLUTION = 60

# --- trust layer: second factor, passwords and tokens -----------------------------
# TOTP (RFC 6238) through django-otp for every person's account, with single-use
# recovery codes (GB/T 22239-2019 8.1.4.1 d: two or more authentication
# techniques, one of them cryptographic). Off by default so that `make run`
# signs the demo users in with their password; on in the production profile.
OTP_REQUIRED = env_bool("OTP_REQUIRED", False)
OTP_TOTP_ISSUER = "casehub"
# The login throttle (LOGIN_THROTTLE) counts wrong codes like wrong passwords,
# per username and address in the shared cache; django-otp's own per-device
# delay would only make a right code look wrong.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
# The admin's device pages never show a TOTP secret or a recovery code.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# Recovery codes issued at enrolment (each usable once).
OTP_RECOVERY_CODES = 10
# Seconds between the password step and the code (or enrolment) step.
LOGIN_PENDING_SECONDS = 600

# Password policy (GB/T 22239-2019 8.1.4.1 a: complexity, regular change):
# length, three of the four character classes, nothing like the username,
# none of the last PASSWORD_HISTORY passwords; a password older than
# PASSWORD_MAX_AGE_DAYS (0: no limit) must be changed at the next login.
PASSWORD_MIN_LENGTH = env_int("PASSWORD_MIN_LENGTH", 10)
PASSWORD_HISTORY = 5
PASSWORD_MAX_AGE_DAYS = env_int("PASSWORD_MAX_AGE_DAYS", 0)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH}},
    {"NAME": "agencies.passwords.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "agencies.passwords.UsernameValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
     "OPTIONS": {"user_attributes": ["username", "full_name", "first_name", "last_name", "email"]}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "agencies.passwords.HistoryValidator"},
]

# API tokens expire after this many days unless asked for less (only a
# platform administrator may ask for more); 0: no default expiry.
API_TOKEN_LIFETIME_DAYS = env_int("API_TOKEN_LIFETIME_DAYS", 90)

# --- trust layer: input limits, headers and degraded modes -------------------------
# Rate limits count in the default cache. With Redis it is the resilient
# backend: short socket timeouts, and a per-process count (with a warning a
# minute, not a request) while Redis cannot be reached, so that logins, the
# API and the public feeds still answer (casehub/resilient_cache.py).
if REDIS_URL:
    CACHES["default"]["BACKEND"] = "casehub.resilient_cache.ResilientRedisCache"
    CACHES["default"]["OPTIONS"] = {
        "socket_connect_timeout": 0.5, "socket_timeout": 0.5,  # seconds: a hung Redis must not hold requests
        "retry_after": 5,  # seconds counted in memory after a failure before Redis is tried again
        "warn_every": 60,  # seconds between warnings while it stays down
    }

# The per-user API rate (GB/T 22239-2019 8.1.4.3): humans and service
# accounts each against their own scope; "public" is the disclosure pages,
# feeds and exports, per client address.
REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"] = [
    "casehub.api.throttling.UserRateThrottle",
    "casehub.api.throttling.ServiceAccountRateThrottle",
]
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = {
    "user": env_str("API_USER_RATE", "6000/min"),
    "service": env_str("API_SERVICE_RATE", "30000/min"),
    "public": env_str("PUBLIC_API_RATE", "120/min"),
}

# Bodies: JSON through orjson with a depth limit, and one control-character
# check for JSON, form and multipart fields (casehub/api/parsers.py).
REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"] = [
    "casehub.api.parsers.JSONParser",
    "casehub.api.parsers.FormParser",
    "casehub.api.parsers.MultiPartParser",
]
API_JSON_MAX_DEPTH = 64

# With the search server down everything else answers; a search gives up
# after this many seconds with a 503 (search/api.py).
SEARCH_QUERY_TIMEOUT_SECONDS = 5

# Query strings, paths, web forms and declared body sizes are checked before
# any view (casehub/request_limits.py); the CSP and Permissions-Policy go on
# every response.
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
                  "django.middleware.csp.ContentSecurityPolicyMiddleware")
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.csp.ContentSecurityPolicyMiddleware") + 1,
                  "casehub.security_headers.PermissionsPolicyMiddleware")
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.locale.LocaleMiddleware") + 1,
                  "casehub.request_limits.RequestLimitsMiddleware")

# No inline script anywhere (every page's script is a static file), so
# scripts come from this origin only; nothing may frame a page.
SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],  # the notification socket is same-origin
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
PERMISSIONS_POLICY = {
    name: [] for name in (
        "accelerometer", "autoplay", "camera", "display-capture",
        "geolocation", "gyroscope", "hid", "idle-detection", "magnetometer", "microphone", "midi", "payment",
        "screen-wake-lock", "serial", "usb", "xr-spatial-tracking",
    )
}

# The schema documents the refusals every operation can give (400, 401,
# 403, 404, 409, 413, 415, 429) with their bodies (casehub/api/schema.py).
SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"] = [
    "drf_spectacular.hooks.postprocess_schema_enums",
    "casehub.api.schema.add_error_responses",
]
