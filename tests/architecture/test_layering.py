"""The core (casehub's case domain and agencies) publishes events; search and
notifications subscribe. A core module importing a subscriber would tie the
core's transactions to Elasticsearch or Redis being up."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SUBSCRIBERS = {"search", "notifications", "disclosure"}
# Project wiring, not domain: it may gather every app's routes.
PROJECT_WIRING = {"casehub/urls.py", "casehub/asgi.py", "casehub/websocket_routes.py"}
# The web UI sits above every app, like the URL wiring: its pages show search
# results and the notification bell. Nothing in the core may import it.
WEB_UI = "casehub/web/"


def imported_top_level_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def core_modules():
    for package in ("casehub", "agencies"):
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if relative not in PROJECT_WIRING and not relative.startswith(("casehub/settings/", WEB_UI)):
                yield relative, path


def test_core_never_imports_subscribers():
    offenders = {
        relative: sorted(imported_top_level_packages(path) & SUBSCRIBERS) for relative, path in core_modules()
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def imports_the_web_ui(path: Path) -> bool:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
            [node.module or ""] if isinstance(node, ast.ImportFrom) and node.level == 0 else []
        if any(n == "casehub.web" or n.startswith("casehub.web.") for n in names):
            return True
    return False


def test_nothing_below_the_web_ui_imports_it():
    # The API, services and rules never depend on pages; the UI calls them.
    below = [relative for relative, path in core_modules() if imports_the_web_ui(path)]
    assert below == []


def test_the_check_sees_the_core():
    assert any(relative == "casehub/access.py" for relative, _ in core_modules())
