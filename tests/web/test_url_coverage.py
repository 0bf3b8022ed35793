"""Every named route of the web UI is requested by some test: a page no test
opens is a page nobody knows works (Zulip keeps the same report for its URLs).
A route counts as covered when a test under tests/ names it in reverse() or
{% url %}-style form ("web:<name>") — the tests that do so request it."""

import re
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver

TESTS = Path(__file__).resolve().parents[1]


def web_route_names() -> set[str]:
    names = set()

    def walk(patterns, namespace):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, entry.namespace or namespace)
            elif isinstance(entry, URLPattern) and entry.name and namespace == "web":
                names.add(entry.name)

    walk(get_resolver().url_patterns, None)
    return names


def names_in_tests() -> set[str]:
    found = set()
    for path in TESTS.rglob("*.py"):
        found.update(re.findall(r"""["']web:([\w-]+)["']""", path.read_text(encoding="utf-8")))
    return found


def test_the_web_ui_has_routes():
    assert {"workbench", "case-list", "case-new", "case", "search", "account"} <= web_route_names()


def test_every_web_route_is_requested_by_a_test():
    assert sorted(web_route_names() - names_in_tests()) == []
