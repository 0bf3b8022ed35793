"""Reading settings from the environment.

Every environment variable casehub reads is named in ``KNOWN_VARIABLES`` so
that the README, docker-compose.yml and the tests can be checked against one
list.
"""

import os

from django.core.exceptions import ImproperlyConfigured

KNOWN_VARIABLES = {
    "DJANGO_SETTINGS_MODULE": "casehub.settings (development) or casehub.settings.production",
    "SECRET_KEY": "signing key; required in production",
    "DEBUG": "1/0; off unless set",
    "ALLOWED_HOSTS": "comma-separated host names",
    "CSRF_TRUSTED_ORIGINS": "comma-separated origins (https://…) for the web UI behind a proxy",
    "DATABASE_URL": "database URL; default sqlite:///var/casehub.sqlite3",
    "REDIS_URL": "Redis URL for the channel layer and the shared cache (rate limits); unset: in-memory layer and cache",
    "ELASTICSEARCH_URL": "Elasticsearch URL; unset: database search backend",
    "ELASTICSEARCH_PLAIN_JSON": "1 to send plain application/json (osmem-server); off for Elasticsearch",
    "SEARCH_CHINESE_ANALYZER": "Elasticsearch analyzer for Chinese text: cjk (default), smartcn, ik_max_word",
    "SEARCH_INDEX_ALIAS": "the search index's alias (default casehub-cases)",
    "DB_CONN_MAX_AGE": "seconds a database connection is kept open (default 0)",
    "DB_PREPARE_THRESHOLD": "PostgreSQL: executions before a statement is prepared (default 5; 0 turns it off)",
    "MEDIA_ROOT": "where uploaded files are stored; default var/media",
    "S3_BUCKET": "evidence files in this S3-compatible bucket instead of MEDIA_ROOT",
    "S3_ENDPOINT_URL": "S3-compatible endpoint (MinIO, OSS, COS); unset for AWS",
    "S3_REGION": "S3 region name",
    "S3_ACCESS_KEY_ID": "S3 access key",
    "S3_SECRET_ACCESS_KEY": "S3 secret key",
    "MAX_UPLOAD_BYTES": "largest evidence file accepted, in bytes (default 50 MiB)",
    "STATIC_ROOT": "where collectstatic writes; default var/static",
    "SECURE_SSL_REDIRECT": "production: redirect http to https (default 1)",
    "SECURE_HSTS_SECONDS": "production: HSTS max-age (default one year)",
    "PUBLIC_API_RATE": "requests per client to the public disclosure API, pages and feeds (default 120/min)",
    "LOG_LEVEL": "root log level (default INFO)",
    # The trust layer: audit chain.
    "AUDIT_HMAC_KEY": "the audit chain's HMAC key, kept out of the database; required (40+ random characters) in production",
    "AUDIT_HMAC_OLD_KEYS": "comma-separated retired audit keys: they still verify what they signed",
    "AUDIT_CHECKPOINT_FILE": "append-only file mirroring every audit checkpoint outside the database; unset: none",
    "AUDIT_RETENTION_DAYS": "days audit entries stay online before they may be archived (default and minimum 180)",
    # The trust layer: sessions and sockets.
    "SESSION_IDLE_TIMEOUT": "seconds without a request after which a web session ends (default 1800)",
    "SESSION_ABSOLUTE_LIFETIME": "seconds after sign-in at which a web session ends whatever the activity (default 8 hours)",
    "SESSION_COOKIE_AGE": "older name of SESSION_ABSOLUTE_LIFETIME, read when that is unset",
    # The trust layer: second factor, passwords and tokens.
    "OTP_REQUIRED": "1: every person signs in with a second factor (TOTP); default off, on in production",
    "PASSWORD_MIN_LENGTH": "shortest password accepted (default 10)",
    "PASSWORD_MAX_AGE_DAYS": "days after which a password must be changed at the next login (default 0: never)",
    "API_TOKEN_LIFETIME_DAYS": "days an API token lasts unless asked for less (default 90; 0: no default expiry)",
    # The trust layer: input limits, headers and degraded modes.
    "API_USER_RATE": "API requests per signed-in person (default 6000/min); more get 429",
    "API_SERVICE_RATE": "API requests per service account (default 30000/min); more get 429",
    "MAX_REQUEST_BYTES": "largest request body besides uploaded files, in bytes (default 5 MiB); more get 413",
    # Read by the production image's command line, not by Django.
    "WEB_CONCURRENCY": "uvicorn worker processes in the image (default 2)",
    "WEB_BIND": "docker-compose: host address the web port is published on (default 127.0.0.1)",
    "FORWARDED_ALLOW_IPS": "proxies whose X-Forwarded-* headers uvicorn trusts (default 127.0.0.1)",
}


def env_str(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return default if value is None or value == "" else value


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]
