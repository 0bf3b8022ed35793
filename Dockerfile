# casehub production image: uvicorn serving the ASGI application (HTTP and
# WebSockets); the same image runs the worker and the migrations.
FROM python:3.12-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app

# Dependencies first, pinned by the constraints file, so code changes reuse
# this layer. pyproject.toml declares no packages: installing "." installs
# exactly the dependencies (README.md is its readme, needed for the metadata).
# The in-tree build leaves build/ and an egg-info behind; they are not code.
COPY pyproject.toml README.md ./
COPY requirements/constraints.txt requirements/constraints.txt
RUN pip install --no-cache-dir -c requirements/constraints.txt . \
    && rm -rf build casehub.egg-info

COPY . .
ENV DJANGO_SETTINGS_MODULE=casehub.settings.production \
    STATIC_ROOT=/app/static \
    MEDIA_ROOT=/data/media
# collectstatic needs the production settings to import, and they demand
# real-looking keys; these exist only for this RUN line and sign nothing.
RUN SECRET_KEY="build-only-$(python -c 'import secrets; print(secrets.token_urlsafe(48))')" \
    AUDIT_HMAC_KEY="build-only-$(python -c 'import secrets; print(secrets.token_urlsafe(48))')" \
    python manage.py collectstatic --noinput

# Code and static files stay root-owned (read-only to the app); only the
# media directory and the audit checkpoint file's are the app's. A new named
# volume mounted there inherits this ownership.
RUN useradd --system --uid 10001 --home /app casehub \
    && mkdir -p /data/media /data/audit && chown -R casehub /data
USER casehub
EXPOSE 8000
# No HEALTHCHECK here: the worker and migrate containers run this image too
# and listen on nothing; docker-compose.yml probes the web service only.
# X-Forwarded-* headers are trusted only from FORWARDED_ALLOW_IPS (the
# reverse proxy); docker-compose.yml sets it for its network. exec makes
# uvicorn PID 1 so it receives SIGTERM and shuts down gracefully.
CMD ["sh", "-c", "exec uvicorn casehub.asgi:application --host 0.0.0.0 --port 8000 --ws-max-size 65536 --proxy-headers --forwarded-allow-ips \"${FORWARDED_ALLOW_IPS:-127.0.0.1}\" --workers \"${WEB_CONCURRENCY:-2}\""]
