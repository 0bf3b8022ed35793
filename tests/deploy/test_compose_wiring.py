"""Docker cannot run on the development machines, so docker-compose.yml and
the Dockerfile are checked by reading them against the settings."""

import ast
import json
import os
import re
import secrets
import shlex
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from django.core.management import get_commands

from casehub.settings.env import KNOWN_VARIABLES

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_TEXT = (ROOT / "docker-compose.yml").read_text()
COMPOSE = yaml.safe_load(COMPOSE_TEXT)
SERVICES = COMPOSE["services"]
APP_SERVICES = ["migrate", "web", "worker"]
DOCKERFILE = (ROOT / "Dockerfile").read_text()


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


def services_of_image(prefix: str) -> set[str]:
    return {name for name, spec in SERVICES.items() if str(spec.get("image", "")).startswith(prefix)}


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined, comments dropped."""
    joined = re.sub(r"\\\n", " ", "\n".join(line for line in DOCKERFILE.splitlines() if not line.lstrip().startswith("#")))
    pairs = []
    for line in joined.splitlines():
        if line.strip():
            keyword, _, rest = line.strip().partition(" ")
            pairs.append((keyword.upper(), rest.strip()))
    return pairs


SAMPLE = {"SECRET_KEY": secrets.token_urlsafe(45)}  # 60 characters
assert len(SAMPLE["SECRET_KEY"]) == 60


def test_the_services_are_there():
    assert {"db", "redis", "elasticsearch", *APP_SERVICES} <= set(SERVICES)
    assert SERVICES["db"]["image"].startswith("postgres:15")
    assert SERVICES["redis"]["image"].startswith("redis:7")
    # Pinned to an exact 8.x release: the Python client is 8.x too.
    assert re.fullmatch(r"docker\.elastic\.co/elasticsearch/elasticsearch:8\.\d+\.\d+", SERVICES["elasticsearch"]["image"])


@pytest.mark.parametrize("service", APP_SERVICES)
def test_app_services_use_production_settings_and_known_variables(service):
    env = app_env(service, SAMPLE)
    assert env["DJANGO_SETTINGS_MODULE"] == "casehub.settings.production"
    assert set(env) <= set(KNOWN_VARIABLES), set(env) - set(KNOWN_VARIABLES)


def test_plain_json_is_never_set_for_real_elasticsearch():
    # Plain JSON is for osmem-server in tests only; anywhere in the deploy
    # files (environment, command, image) it would be wrong.
    assert "ELASTICSEARCH_PLAIN_JSON" not in COMPOSE_TEXT
    assert "ELASTICSEARCH_PLAIN_JSON" not in DOCKERFILE


def test_secret_key_is_required():
    with pytest.raises(KeyError, match="SECRET_KEY"):
        app_env("web", {})


def test_urls_point_at_the_services():
    env = app_env("web", SAMPLE)

    db = urlsplit(env["DATABASE_URL"])
    assert db.scheme in {"postgres", "postgresql"}
    assert db.hostname in services_of_image("postgres:")
    db_env = SERVICES[db.hostname]["environment"]
    assert db.port == 5432
    assert db.path.lstrip("/") == db_env["POSTGRES_DB"]
    assert db.username == db_env["POSTGRES_USER"]
    assert db.password == substitute(db_env["POSTGRES_PASSWORD"], {})

    redis = urlsplit(env["REDIS_URL"])
    assert redis.scheme == "redis" and redis.hostname in services_of_image("redis:") and redis.port == 6379

    es = urlsplit(env["ELASTICSEARCH_URL"])
    assert es.hostname in services_of_image("docker.elastic.co/elasticsearch/") and es.port == 9200
    # Security is off inside the compose network, so the URL is plain http.
    es_env = SERVICES[es.hostname]["environment"]
    assert es.scheme == "http" and es_env["xpack.security.enabled"] == "false"
    assert es_env["discovery.type"] == "single-node"


def test_a_changed_database_password_reaches_both_sides():
    env = app_env("web", {**SAMPLE, "POSTGRES_PASSWORD": "s3cret"})
    assert urlsplit(env["DATABASE_URL"]).password == "s3cret"
    assert substitute(SERVICES["db"]["environment"]["POSTGRES_PASSWORD"], {"POSTGRES_PASSWORD": "s3cret"}) == "s3cret"


def test_web_disables_persistent_connections_under_asgi():
    # Django's docs: persistent connections should be disabled under ASGI.
    assert app_env("web", SAMPLE)["DB_CONN_MAX_AGE"] == "0"
    assert app_env("worker", SAMPLE)["DB_CONN_MAX_AGE"] == "60"


def test_the_app_uses_the_installed_chinese_analyzer():
    assert app_env("web", SAMPLE)["SEARCH_CHINESE_ANALYZER"] == "smartcn"


def test_elasticsearch_gets_the_smartcn_plugin_and_still_starts():
    command = SERVICES["elasticsearch"]["command"]
    assert "elasticsearch-plugin install --batch analysis-smartcn" in command
    # The wrapper must hand over to the image's entry point, or ES never starts.
    assert re.search(r"exec /usr/local/bin/docker-entrypoint\.sh( eswrapper)?\s*\"?\s*$", command)


def test_web_and_worker_wait_for_their_dependencies():
    for service in ("web", "worker"):
        depends = SERVICES[service]["depends_on"]
        assert {"db", "redis", "elasticsearch"} <= set(depends)
        for name in ("db", "redis", "elasticsearch"):
            assert depends[name]["condition"] == "service_healthy"
            assert "healthcheck" in SERVICES[name]
        assert depends["migrate"]["condition"] == "service_completed_successfully"
    assert SERVICES["migrate"]["restart"] == "no"
    assert SERVICES["migrate"]["depends_on"]["db"]["condition"] == "service_healthy"


def test_management_commands_in_compose_exist():
    commands = get_commands()
    for service in APP_SERVICES:
        command = SERVICES[service].get("command") or []
        text = " ".join(command) if isinstance(command, list) else command
        for name in re.findall(r"manage\.py (\w+)", text):
            assert name in commands, f"{service} runs manage.py {name}, which does not exist"
    assert "migrate" in " ".join(SERVICES["migrate"]["command"])
    assert "seed_agencies" in " ".join(SERVICES["migrate"]["command"])
    assert SERVICES["worker"]["command"] == ["python", "manage.py", "run_worker"]
    # Published on loopback unless the operator says otherwise (see the compose comment).
    assert [substitute(port, {}) for port in SERVICES["web"]["ports"]] == ["127.0.0.1:8000:8000"]


def test_named_volumes_are_declared_and_media_is_shared():
    declared = set(COMPOSE["volumes"])
    for service in SERVICES.values():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if not source.startswith((".", "/")):
                assert source in declared, f"volume {source} is not declared"
    # Uploads written by web must be readable by the worker.
    for service in ("web", "worker"):
        assert f"media:{app_env(service, SAMPLE)['MEDIA_ROOT']}" in SERVICES[service]["volumes"]


def test_dockerfile_serves_the_asgi_application():
    instructions = dockerfile_instructions()
    starts = [args for keyword, args in instructions if keyword in {"CMD", "ENTRYPOINT"}]
    assert starts, "the Dockerfile has no CMD or ENTRYPOINT"
    command = " ".join(json.loads(starts[-1])) if starts[-1].startswith("[") else starts[-1]
    argv = shlex.split(command.split("exec ", 1)[-1])
    assert argv[0] == "uvicorn" and argv[1] == "casehub.asgi:application"
    assert argv[argv.index("--host") + 1] == "0.0.0.0" and argv[argv.index("--port") + 1] == "8000"
    assert "--proxy-headers" in argv and "--forwarded-allow-ips" in argv
    # The module path names a real module with an `application`.
    tree = ast.parse((ROOT / "casehub" / "asgi.py").read_text())
    assert any(isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "application" for t in node.targets) for node in tree.body)
    # The CMD's variables are documented ones.
    assert set(re.findall(r"\$\{(\w+)", command)) <= set(KNOWN_VARIABLES)


def test_dockerfile_builds_a_production_image():
    instructions = dockerfile_instructions()
    assert instructions[0][0] == "FROM" and instructions[0][1].startswith("python:3.12-slim")
    runs = [args for keyword, args in instructions if keyword == "RUN"]
    assert any("pip install" in run and "-c requirements/constraints.txt" in run for run in runs)
    env_lines = " ".join(args for keyword, args in instructions if keyword == "ENV")
    assert "DJANGO_SETTINGS_MODULE=casehub.settings.production" in env_lines
    app_vars = {name for name in re.findall(r"(\w+)=", env_lines) if not name.startswith(("PYTHON", "PIP_"))}
    assert app_vars <= set(KNOWN_VARIABLES), app_vars - set(KNOWN_VARIABLES)
    # The build-time key lives on the collectstatic line only, never in ENV.
    assert "SECRET_KEY" not in env_lines
    assert any("SECRET_KEY=" in run and "collectstatic --noinput" in run for run in runs)
    users = [args for keyword, args in instructions if keyword == "USER"]
    assert users and users[-1] not in {"root", "0"}
    assert ("EXPOSE", "8000") in instructions


def test_dockerignore_keeps_what_the_image_needs():
    ignored = {line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()}
    assert {".git", ".venv", "var"} <= ignored
    for needed in ("casehub", "agencies", "search", "notifications", "locale", "manage.py",
                   "pyproject.toml", "README.md", "requirements"):
        assert needed not in ignored


def _production(env: dict[str, str], code: str) -> subprocess.CompletedProcess:
    # Nothing of the caller's configuration (CI's DATABASE_URL, ...) leaks in.
    clean = {k: v for k, v in os.environ.items() if k not in KNOWN_VARIABLES}
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True)


@pytest.mark.parametrize("service,conn_max_age", [("web", 0), ("worker", 60)])
def test_production_settings_under_the_compose_environment(service, conn_max_age):
    code = (
        "import json, django; django.setup(); from django.conf import settings as s;"
        "d = s.DATABASES['default']; c = s.CHANNEL_LAYERS['default'];"
        "print(json.dumps({'engine': d['ENGINE'], 'host': d['HOST'], 'name': d['NAME'],"
        " 'conn_max_age': d['CONN_MAX_AGE'], 'layer': c['BACKEND'], 'layer_hosts': c['CONFIG']['hosts'],"
        " 'es': s.ELASTICSEARCH_URL, 'plain_json': s.ELASTICSEARCH_PLAIN_JSON, 'debug': s.DEBUG,"
        " 'media': str(s.MEDIA_ROOT), 'ssl_redirect': s.SECURE_SSL_REDIRECT}))"
    )
    env = app_env(service, {**SAMPLE, "ALLOWED_HOSTS": "casehub.example.cn"})
    result = _production(env, code)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "engine": "django.db.backends.postgresql",
        "host": "db",
        "name": "casehub",
        "conn_max_age": conn_max_age,
        "layer": "channels_redis.pubsub.RedisPubSubChannelLayer",
        "layer_hosts": ["redis://redis:6379/0"],
        "es": "http://elasticsearch:9200",
        "plain_json": False,
        "debug": False,
        "media": "/data/media",
        "ssl_redirect": True,
    }


def test_deploy_check_reports_nothing(tmp_path):
    env = {
        "DJANGO_SETTINGS_MODULE": "casehub.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
    }
    clean = {k: v for k, v in os.environ.items() if k not in KNOWN_VARIABLES}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env={**clean, **env}, capture_output=True, text=True,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    # drf-spectacular's deploy check reports schema problems as warnings too.
    assert "System check identified no issues" in result.stdout, output
    assert "WARNING" not in output and "?: (" not in output, output


@pytest.mark.parametrize(
    "env,message",
    [
        ({}, "SECRET_KEY"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY"),
        ({"SECRET_KEY": "x" * 60}, "SECRET_KEY"),
        ({"SECRET_KEY": secrets.token_urlsafe(60), "DEBUG": "1"}, "DEBUG"),
    ],
)
def test_production_refuses_unsafe_settings(env, message):
    result = _production({"DJANGO_SETTINGS_MODULE": "casehub.settings.production", **env}, "import django; django.setup()")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and message in result.stderr
