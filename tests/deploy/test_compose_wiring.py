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


SAMPLE = {"SECRET_KEY": secrets.token_urlsafe(45), "AUDIT_HMAC_KEY": secrets.token_urlsafe(45)}  # 60 characters
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


@pytest.mark.parametrize("service", APP_SERVICES)
def test_the_audit_key_is_required_and_checkpoints_are_mirrored(service):
    with pytest.raises(KeyError, match="AUDIT_HMAC_KEY"):
        app_env(service, {"SECRET_KEY": SAMPLE["SECRET_KEY"]})
    # The mirror file lives on a volume of its own, which the database container never mounts.
    directory = str(Path(app_env(service, SAMPLE)["AUDIT_CHECKPOINT_FILE"]).parent)
    mounts = {volume.split(":")[1]: volume.split(":")[0] for volume in SERVICES[service]["volumes"]}
    assert directory in mounts and mounts[directory] in COMPOSE["volumes"]
    assert not any(v.split(":")[0] == mounts[directory] for v in SERVICES["db"].get("volumes", []))


def test_urls_point_at_the_services():
    env = app_env("web", SAMPLE)

    db = urlsplit(env["DATABASE_URL"])
    assert db.scheme in {"postgres", "postgresql"}
    assert db.hostname in services_of_image("postgres:")
    db_env = SERVICES[db.hostname]["environment"]
    assert db.port == 5432
    assert db.path.lstrip("/") == db_env["POSTGRES_DB"]
    # The application's role, not the superuser and not the owner (test_database_roles below).
    assert db.username == db_env["CASEHUB_DB_APP"]
    assert db.password == substitute(db_env["CASEHUB_DB_APP_PASSWORD"], {})

    redis = urlsplit(env["REDIS_URL"])
    assert redis.scheme == "redis" and redis.hostname in services_of_image("redis:") and redis.port == 6379

    es = urlsplit(env["ELASTICSEARCH_URL"])
    assert es.hostname in services_of_image("docker.elastic.co/elasticsearch/") and es.port == 9200
    # Security is off inside the compose network, so the URL is plain http.
    es_env = SERVICES[es.hostname]["environment"]
    assert es.scheme == "http" and es_env["xpack.security.enabled"] == "false"
    assert es_env["discovery.type"] == "single-node"


@pytest.mark.parametrize("variable,service,db_variable", [
    ("DB_APP_PASSWORD", "web", "CASEHUB_DB_APP_PASSWORD"),
    ("DB_APP_PASSWORD", "worker", "CASEHUB_DB_APP_PASSWORD"),
    ("DB_OWNER_PASSWORD", "migrate", "CASEHUB_DB_OWNER_PASSWORD"),
])
def test_a_changed_database_password_reaches_both_sides(variable, service, db_variable):
    env = app_env(service, {**SAMPLE, variable: "s3cret"})
    assert urlsplit(env["DATABASE_URL"]).password == "s3cret"
    assert substitute(SERVICES["db"]["environment"][db_variable], {variable: "s3cret"}) == "s3cret"


INIT_DIR = "/docker-entrypoint-initdb.d"


def test_database_roles():
    """Migrations run as the owner role, web and worker as the application's
    role (owning nothing), both created by the db's init script; the migrate
    service re-grants the app role after migrating; the superuser is neither."""
    db_env = SERVICES["db"]["environment"]
    owner, app, superuser = db_env["CASEHUB_DB_OWNER"], db_env["CASEHUB_DB_APP"], db_env["POSTGRES_USER"]
    assert len({owner, app, superuser}) == 3
    assert urlsplit(app_env("migrate", SAMPLE)["DATABASE_URL"]).username == owner
    for service in ("web", "worker"):
        assert urlsplit(app_env(service, SAMPLE)["DATABASE_URL"]).username == app
    # The init script is mounted where the postgres image runs it, and exists.
    mounts = [volume.split(":") for volume in SERVICES["db"]["volumes"]]
    sources = [source for source, target, *_ in mounts if target == INIT_DIR]
    assert len(sources) == 1 and sources[0].startswith("./")
    scripts = sorted((ROOT / sources[0]).glob("*.sh"))
    assert scripts and all(os.access(script, os.X_OK) for script in scripts)
    text = "\n".join(script.read_text() for script in scripts)
    for variable in ("CASEHUB_DB_OWNER", "CASEHUB_DB_APP", "CASEHUB_DB_OWNER_PASSWORD", "CASEHUB_DB_APP_PASSWORD"):
        assert variable in text
    assert "NOSUPERUSER" in text and "ALTER DATABASE" in text
    # migrate, then grant_app_role for exactly the role web and worker use, then the rest.
    command = " ".join(SERVICES["migrate"]["command"])
    steps = re.findall(r"manage\.py (\w+)((?: [\w-]+)*)", command)
    names = [name for name, _ in steps]
    assert names.index("migrate") < names.index("grant_app_role")
    assert steps[names.index("grant_app_role")][1].split() == [app]
    # The healthcheck waits for the real server (TCP), not the init-time one.
    assert "-h 127.0.0.1" in " ".join(SERVICES["db"]["healthcheck"]["test"])


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
    # The build-time keys live on the collectstatic line only, never in ENV.
    for key in ("SECRET_KEY", "AUDIT_HMAC_KEY"):
        assert key not in env_lines
        assert any(f"{key}=" in run and "collectstatic --noinput" in run for run in runs)
    # The directories the app writes (media, the audit checkpoint file's) are made and handed to its user.
    written = {"/data/media", str(Path(app_env("worker", SAMPLE)["AUDIT_CHECKPOINT_FILE"]).parent)}
    assert any(all(d in run for d in written) and "chown -R casehub /data" in run for run in runs)
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
        "import json, os, django; django.setup(); from django.conf import settings as s;"
        "d = s.DATABASES['default']; c = s.CHANNEL_LAYERS['default'];"
        "print(json.dumps({'engine': d['ENGINE'], 'host': d['HOST'], 'name': d['NAME'],"
        " 'conn_max_age': d['CONN_MAX_AGE'], 'layer': c['BACKEND'], 'layer_hosts': c['CONFIG']['hosts'],"
        " 'es': s.ELASTICSEARCH_URL, 'plain_json': s.ELASTICSEARCH_PLAIN_JSON, 'debug': s.DEBUG,"
        " 'media': str(s.MEDIA_ROOT), 'ssl_redirect': s.SECURE_SSL_REDIRECT,"
        " 'audit_key': s.AUDIT_HMAC_KEY == os.environ['AUDIT_HMAC_KEY'], 'audit_file': s.AUDIT_CHECKPOINT_FILE,"
        " 'retention': s.AUDIT_RETENTION_DAYS}))"
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
        "audit_key": True,
        "audit_file": "/data/audit/checkpoints.jsonl",
        "retention": 180,
    }


def test_deploy_check_reports_nothing(tmp_path):
    env = {
        "DJANGO_SETTINGS_MODULE": "casehub.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "AUDIT_HMAC_KEY": secrets.token_urlsafe(48),
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


_KEY = secrets.token_urlsafe(60)


@pytest.mark.parametrize(
    "env,message",
    [
        ({}, "SECRET_KEY"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY"),
        ({"SECRET_KEY": "x" * 60}, "SECRET_KEY"),
        ({"SECRET_KEY": secrets.token_urlsafe(60), "DEBUG": "1"}, "DEBUG"),
        # The audit key: required, strong, its own.
        ({"SECRET_KEY": _KEY}, "AUDIT_HMAC_KEY"),
        ({"SECRET_KEY": _KEY, "AUDIT_HMAC_KEY": secrets.token_urlsafe(20)}, "AUDIT_HMAC_KEY"),
        ({"SECRET_KEY": _KEY, "AUDIT_HMAC_KEY": "ab" * 30}, "AUDIT_HMAC_KEY"),
        ({"SECRET_KEY": _KEY, "AUDIT_HMAC_KEY": _KEY}, "AUDIT_HMAC_KEY"),
        # Six months online at least, in every profile.
        ({"SECRET_KEY": _KEY, "AUDIT_HMAC_KEY": secrets.token_urlsafe(48), "AUDIT_RETENTION_DAYS": "90"},
         "AUDIT_RETENTION_DAYS"),
    ],
)
def test_production_refuses_unsafe_settings(env, message):
    result = _production({"DJANGO_SETTINGS_MODULE": "casehub.settings.production", **env}, "import django; django.setup()")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and message in result.stderr
