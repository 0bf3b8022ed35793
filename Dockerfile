# casehub production image: uvicorn serving the ASGI application (HTTP and
# WebSockets); the same image runs the worker and the migrations.
FROM python:3.12-slim AS base
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app

# Dependencies first, pinned by the constraints file, so code changes reuse
# this layer. pyproject.toml declares no packages: installing "." installs
# exactly the dependencies.
COPY pyproject.toml README.md ./
COPY requirements/constraints.txt requirements/constraints.txt
RUN pip install -c requirements/constraints.txt .

COPY . .
ENV DJANGO_SETTINGS_MODULE=casehub.settings.production \
    STATIC_ROOT=/app/static \
    MEDIA_ROOT=/data/media
# collectstatic needs settings to import; this key signs nothing and is
# discarded with the build step.
RUN SECRET_KEY="build-only-$(python -c 'import secrets; print(secrets.token_urlsafe(48))')" \
    python manage.py collectstatic --noinput

RUN useradd --system --uid 10001 --home /app casehub \
    && mkdir -p /data/media && chown -R casehub /data
USER casehub
EXPOSE 8000
# Forwarded headers are trusted from the reverse proxy only (FORWARDED_ALLOW_IPS).
CMD ["sh", "-c", "exec uvicorn casehub.asgi:application --host 0.0.0.0 --port 8000 --proxy-headers --forwarded-allow-ips \"${FORWARDED_ALLOW_IPS:-127.0.0.1}\" --workers \"${WEB_CONCURRENCY:-2}\""]
