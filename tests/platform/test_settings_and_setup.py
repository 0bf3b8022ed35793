import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from casehub.settings.env import env_bool, env_int, env_list

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("raw,expected", [("1", True), ("true", True), ("off", False), ("0", False), ("", False)])
def test_env_bool(monkeypatch, raw, expected):
    monkeypatch.setenv("CASEHUB_FLAG", raw)
    assert env_bool("CASEHUB_FLAG") is expected


def test_env_bool_rejects_nonsense(monkeypatch):
    monkeypatch.setenv("CASEHUB_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="CASEHUB_FLAG"):
        env_bool("CASEHUB_FLAG")


def test_env_int_and_list(monkeypatch):
    monkeypatch.setenv("CASEHUB_N", "x")
    with pytest.raises(ImproperlyConfigured):
        env_int("CASEHUB_N", 1)
    monkeypatch.setenv("CASEHUB_HOSTS", " a.cn, b.cn ,")
    assert env_list("CASEHUB_HOSTS", []) == ["a.cn", "b.cn"]


def _settings_in_subprocess(env: dict) -> str:
    code = (
        "import django, json; from django.conf import settings; django.setup();"
        "print(json.dumps([settings.DATABASES['default']['ENGINE'], settings.CHANNEL_LAYERS['default']['BACKEND'],"
        " settings.ELASTICSEARCH_URL, settings.TIME_ZONE, settings.LANGUAGE_CODE]))"
    )
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "ELASTICSEARCH_URL"}}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env={**clean, "DJANGO_SETTINGS_MODULE": "casehub.settings", **env},
        capture_output=True, text=True, check=True,
    )
    return result.stdout


def test_defaults_need_nothing_running(tmp_path):
    out = _settings_in_subprocess({})
    assert '"django.db.backends.sqlite3", "channels.layers.InMemoryChannelLayer", null, "Asia/Shanghai", "zh-hans"' in out


def test_environment_selects_real_services():
    out = _settings_in_subprocess(
        {"DATABASE_URL": "postgres://u@db:5432/x", "REDIS_URL": "redis://r:6379/0", "ELASTICSEARCH_URL": "http://es:9200"}
    )
    assert '"django.db.backends.postgresql", "channels_redis.pubsub.RedisPubSubChannelLayer", "http://es:9200"' in out


def test_postgresql_prepares_repeated_statements_unless_told_not_to():
    code = (
        "import django, json; from django.conf import settings; django.setup();"
        "print(json.dumps(settings.DATABASES['default'].get('OPTIONS', {})))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "casehub.settings", "DATABASE_URL": "postgres://u@db:5432/x"}
    on = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert '"server_side_binding": true' in on.stdout and '"prepare_threshold": 5' in on.stdout
    off = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**env, "DB_PREPARE_THRESHOLD": "0"},
                         capture_output=True, text=True, check=True)
    assert '"prepare_threshold": null' in off.stdout


def test_s3_bucket_selects_the_s3_storage():
    code = (
        "import django, json; from django.conf import settings; django.setup();"
        "d = settings.STORAGES['default']; print(json.dumps([d['BACKEND'], d.get('OPTIONS', {}).get('bucket_name')]))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "casehub.settings"}
    env.pop("S3_BUCKET", None)
    plain = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert "FileSystemStorage" in plain.stdout
    s3 = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**env, "S3_BUCKET": "evidence"},
                        capture_output=True, text=True, check=True)
    assert '"storages.backends.s3.S3Storage", "evidence"' in s3.stdout


def test_find_python_picks_312_or_newer():
    found = subprocess.run([str(ROOT / "scripts" / "find-python")], capture_output=True, text=True, check=True).stdout.strip()
    version = subprocess.run([found, "-c", "import sys; print(sys.version_info[:2] >= (3, 12))"], capture_output=True, text=True)
    assert version.stdout.strip() == "True"


def test_find_python_explains_when_there_is_none(tmp_path):
    # An empty PATH and no pyenv/uv: a clear message, non-zero exit.
    result = subprocess.run(
        ["/bin/sh", str(ROOT / "scripts" / "find-python")],
        env={"PATH": str(tmp_path), "HOME": str(tmp_path), "PYENV_ROOT": str(tmp_path)},
        capture_output=True, text=True,
    )
    assert result.returncode != 0 and "3.12" in result.stderr
