"""Docker cannot run on the development machines, so docker-compose.yml and
the Dockerfile are checked by reading them against the settings."""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from django.core.management import get_commands

from casehub.settings.env import KNOWN_VARIABLES

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
APP_SERVICES = ["migrate", "web", "worker"]


def substitute(value: str, given: dict[str, str]) -> str:
    """Compose's ${VAR:-default} and ${VAR:?message} interpolation."""

    def one(match):
        name, op, rest = match.group(1), match.group(2), match.group(3)
        if name in given:
            return given[name]
        if op == ":-":
            return rest
        raise KeyError(f"{name} must be set ({rest})")

    return re.sub(r"\$\{(\w+)(:-|:\?)?([^}]*)\}", one, str(value))


def app_env(service: str, given: dict[str, str]) -> dict[str, str]:
    return {k: substitute(v, given) for k, v in SERVICES[service]["environment"].items()}


SAMPLE = {"SECRET_KEY": secrets.token_urlsafe(60)}


def test_the_services_are_there():
    assert {"db", "redis", "elasticsearch", *APP_SERVICES} <= set(SERVICES)
    assert SERVICES["db"]["image"].startswith("postgres:15")
    assert SERVICES["redis"]["image"].startswith("redis:7")
    assert SERVICES["elasticsearch"]["image"].split(":")[-1].startswith("8.")


@pytest.mark.parametrize("service", APP_SERVICES)
def test_app_services_use_production_settings_and_known_variables(service):
    env = app_env(service, SAMPLE)
    assert env["DJANGO_SETTINGS_MODULE"] == "casehub.settings.production"
    assert set(env) <= set(KNOWN_VARIABLES), set(env) - set(KNOWN_VARIABLES)
    # Plain JSON is for osmem-server in tests only.
    assert "ELASTICSEARCH_PLAIN_JSON" not in env


def test_secret_key_is_required():
    with pytest.raises(KeyError, match="SECRET_KEY"):
        app_env("web", {})


def test_urls_point_at_the_services():
    env = app_env("web", SAMPLE)
    db = urlsplit(env["DATABASE_URL"])
    db_env = SERVICES["db"]["environment"]
    assert db.scheme == "postgres" and db.hostname == "db" and db.port == 5432
    assert db.path.lstrip("/") == db_env["POSTGRES_DB"]
    assert db.username == db_env["POSTGRES_USER"]
    assert db.password == substitute(db_env["POSTGRES_PASSWORD"], {})
    assert urlsplit(env["REDIS_URL"]).hostname == "redis"
    es = urlsplit(env["ELASTICSEARCH_URL"])
    assert es.hostname == "elasticsearch" and es.port == 9200
    assert SERVICES["elasticsearch"]["environment"]["discovery.type"] == "single-node"


def test_a_changed_database_password_reaches_both_sides():
    env = app_env("web", {**SAMPLE, "POSTGRES_PASSWORD": "s3cret"})
    assert urlsplit(env["DATABASE_URL"]).password == "s3cret"
    assert substitute(SERVICES["db"]["environment"]["POSTGRES_PASSWORD"], {"POSTGRES_PASSWORD": "s3cret"}) == "s3cret"


def test_web_and_worker_wait_for_their_dependencies():
    for service in ("web", "worker"):
        depends = SERVICES[service]["depends_on"]
        assert {"db", "redis", "elasticsearch"} <= set(depends)
        assert depends["migrate"]["condition"] == "service_completed_successfully"
        for name in ("db", "redis", "elasticsearch"):
            assert "healthcheck" in SERVICES[name]


def test_management_commands_in_compose_exist():
    commands = get_commands()
    for service in APP_SERVICES:
        text = " ".join(SERVICES[service].get("command") or [])
        for name in re.findall(r"manage\.py (\w+)", text):
            assert name in commands, f"{service} runs manage.py {name}, which does not exist"


def test_named_volumes_are_declared():
    declared = set(COMPOSE["volumes"])
    for service in SERVICES.values():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if not source.startswith((".", "/")):
                assert source in declared


def test_dockerfile_serves_the_asgi_application():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "casehub.asgi:application" in dockerfile
    assert (ROOT / "casehub" / "asgi.py").exists()
    assert "USER casehub" in dockerfile  # not root
    assert "requirements/constraints.txt" in dockerfile
    assert "DJANGO_SETTINGS_MODULE=casehub.settings.production" in dockerfile


def _production(env: dict[str, str], code: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in KNOWN_VARIABLES}
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True)


def test_production_settings_under_the_compose_environment():
    code = (
        "import json, django; django.setup(); from django.conf import settings as s;"
        "d = s.DATABASES['default']; c = s.CHANNEL_LAYERS['default'];"
        "print(json.dumps([d['ENGINE'], d['HOST'], d['NAME'], c['BACKEND'], c['CONFIG']['hosts'],"
        " s.ELASTICSEARCH_URL, s.ELASTICSEARCH_PLAIN_JSON, s.DEBUG, str(s.MEDIA_ROOT)]))"
    )
    result = _production(app_env("web", SAMPLE), code)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [
        "django.db.backends.postgresql", "db", "casehub",
        "channels_redis.pubsub.RedisPubSubChannelLayer", ["redis://redis:6379/0"],
        "http://elasticsearch:9200", False, False, "/data/media",
    ]


def test_deploy_check_reports_nothing(tmp_path):
    env = {
        "DJANGO_SETTINGS_MODULE": "casehub.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        "ALLOWED_HOSTS": "casehub.example.cn",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env={**{k: v for k, v in os.environ.items() if k not in KNOWN_VARIABLES}, **env},
        capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    "env,message",
    [
        ({}, "SECRET_KEY"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY"),
        ({"SECRET_KEY": secrets.token_urlsafe(60), "DEBUG": "1"}, "DEBUG"),
    ],
)
def test_production_refuses_unsafe_settings(env, message):
    result = _production({"DJANGO_SETTINGS_MODULE": "casehub.settings.production", **env}, "import django; django.setup()")
    assert result.returncode != 0
    assert message in result.stderr
