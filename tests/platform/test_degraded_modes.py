"""Degraded, never down (issue 11, defect 5): with Redis unreachable, login,
the API and the public disclosure doors still answer, their rate limits
counting per process, with one warning rather than one a request; with the
search server down, everything but search answers, and search is a clean
503."""

import copy
import logging
import os
import shutil
import signal
import socket
import subprocess
import time

import pytest
from django.test import Client

from casehub import resilient_cache
from disclosure import services
from disclosure.models import DisclosureRecord
from tests.disclosure.helpers import decided_case
from tests.factories import TEST_PASSWORD, Office, token_for

pytestmark = pytest.mark.django_db
PUBLIC_DOORS = ("/api/v1/public/disclosures/", "/api/v1/public/disclosures/changes/",
                "/api/v1/public/disclosures/export.csv", "/public/disclosures/feed.atom")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def use_redis_cache(settings, url: str) -> None:
    settings.CACHES = {"default": {
        "BACKEND": "casehub.resilient_cache.ResilientRedisCache", "LOCATION": url, "KEY_PREFIX": "casehub-test",
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2, "retry_after": 5, "warn_every": 60},
    }}
    resilient_cache.reset()


@pytest.fixture
def restored_cache(settings):
    """The real cache and channel layer back before the other fixtures'
    teardowns (the cache is cleared after every test), then a fresh state."""
    cache_settings, layer_settings = copy.deepcopy(settings.CACHES), copy.deepcopy(settings.CHANNEL_LAYERS)
    yield
    settings.CACHES, settings.CHANNEL_LAYERS = cache_settings, layer_settings
    resilient_cache.reset()


@pytest.fixture
def redis_unreachable(settings, restored_cache):
    """REDIS_URL points at a port where nothing listens: the cache and the
    channel layer alike."""
    url = f"redis://127.0.0.1:{free_port()}/0"
    use_redis_cache(settings, url)
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
                                           "CONFIG": {"hosts": [url]}}}


@pytest.fixture
def office():
    office = Office()
    case = decided_case(office)
    for record in DisclosureRecord.objects.filter(case=case):
        services.approve(actor=office.head, record_id=record.pk)
    return office


def degraded_warnings(caplog) -> list:
    return [r for r in caplog.records if r.name == "casehub.degraded" and r.levelno == logging.WARNING]


def test_with_redis_unreachable_login_api_and_public_doors_answer(redis_unreachable, office, caplog):
    caplog.set_level(logging.WARNING, logger="casehub.degraded")
    browser = Client()
    response = browser.post("/accounts/login/", {"username": office.officer.username, "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert browser.get("/api/v1/cases/").status_code == 200
    assert Client().get("/api/v1/cases/", HTTP_AUTHORIZATION=f"Bearer {token_for(office.head)}").status_code == 200
    created = browser.post("/api/v1/cases/", {  # assigning a handler pushes a notification: queued instead
        "title": "Redis中断时新建的案件", "ip_type": "trademark", "kind": "administrative_penalty",
        "source": "complaint", "region": office.region.code, "lead_received_on": "2026-01-05",
        "handlers": [office.officer2.username]}, content_type="application/json")
    assert created.status_code == 201, created.content
    record = DisclosureRecord.objects.filter(status="published").first()
    for path in (*PUBLIC_DOORS, f"/api/v1/public/disclosures/{record.pk}/", f"/public/disclosures/{record.pk}/"):
        assert Client().get(path).status_code == 200, path
    # One warning for the outage, not one a request.
    assert len(degraded_warnings(caplog)) == 1
    assert resilient_cache.is_degraded()


def test_the_limits_still_count_per_process_while_redis_is_unreachable(redis_unreachable, office, settings):
    for _ in range(5):
        Client().post("/accounts/login/", {"username": office.officer.username, "password": "wrong-password-1"})
    locked = Client().post("/accounts/login/", {"username": office.officer.username, "password": TEST_PASSWORD})
    assert locked.status_code == 429
    from disclosure.throttling import PublicThrottle

    PublicThrottle.rate = "3/min"
    try:
        client = Client(REMOTE_ADDR="10.7.7.7")
        assert [client.get(PUBLIC_DOORS[0]).status_code for _ in range(4)] == [200, 200, 200, 429]
    finally:
        PublicThrottle.rate = None


@pytest.fixture
def own_redis(settings, restored_cache):
    """A redis-server of the test's own on a free port (never the machine's
    main one), which the test may pause."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed")
    port = free_port()
    process = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                break
            except OSError:
                time.sleep(0.05)
        use_redis_cache(settings, f"redis://127.0.0.1:{port}/0")
        yield process
    finally:
        os.kill(process.pid, signal.SIGCONT)
        process.terminate()
        process.wait(10)


def test_a_paused_redis_degrades_then_recovers(own_redis, office, caplog):
    from django.core.cache import cache

    caplog.set_level(logging.WARNING, logger="casehub.degraded")
    public = Client(REMOTE_ADDR="10.8.8.8")
    assert public.get(PUBLIC_DOORS[0]).status_code == 200
    assert not resilient_cache.is_degraded()  # counted in Redis
    os.kill(own_redis.pid, signal.SIGSTOP)  # hung, not gone: connections open, nothing answers
    try:
        browser = Client()
        assert browser.post("/accounts/login/", {"username": office.officer.username,
                                                 "password": TEST_PASSWORD}).status_code == 302
        assert browser.get("/api/v1/cases/").status_code == 200
        for path in PUBLIC_DOORS:
            assert public.get(path).status_code == 200, path
        assert resilient_cache.is_degraded()
        assert len(degraded_warnings(caplog)) == 1
    finally:
        os.kill(own_redis.pid, signal.SIGCONT)
    resilient_cache.reset()  # the retry interval has passed
    assert public.get(PUBLIC_DOORS[0]).status_code == 200
    assert not resilient_cache.is_degraded()
    cache.set("probe", 1)
    assert cache.get("probe") == 1


# --- the search server ---------------------------------------------------------


@pytest.fixture
def paused_search_server(request, settings):
    from search.backends import _cache

    clone = request.getfixturevalue("osmem_clone")
    settings.ELASTICSEARCH_URL, settings.ELASTICSEARCH_PLAIN_JSON = clone.url, True
    settings.SEARCH_INDEX_ALIAS = "cases"
    settings.SEARCH_QUERY_TIMEOUT_SECONDS = 0.5
    _cache.clear()
    pid = clone.server.process.pid
    os.kill(pid, signal.SIGSTOP)
    yield
    os.kill(pid, signal.SIGCONT)
    _cache.clear()


def test_with_the_search_server_down_everything_but_search_answers(paused_search_server, office):
    from tests.factories import make_case

    api = Client(HTTP_AUTHORIZATION=f"Bearer {token_for(office.officer)}")
    case = make_case(office)
    assert api.get("/api/v1/cases/").status_code == 200
    assert api.get(f"/api/v1/cases/{case.pk}/").status_code == 200
    created = api.post("/api/v1/cases/", {"title": "搜索服务中断时新建的案件", "ip_type": "trademark",
                                          "kind": "administrative_penalty", "source": "complaint",
                                          "region": office.region.code, "lead_received_on": "2026-01-05"},
                       content_type="application/json")
    assert created.status_code == 201, created.content
    note = api.post(f"/api/v1/cases/{case.pk}/notes/", {"text": "补充材料"}, content_type="application/json")
    assert note.status_code == 201
    assert Client().get(PUBLIC_DOORS[0]).status_code == 200
    search = api.get("/api/v1/search/cases/", {"q": "商标"})
    assert search.status_code == 503
    assert search["Content-Type"] == "application/json"
    assert "detail" in search.json()
