"""Every service that writes a case's timeline also publishes a domain
event: record_event moves the case's index version, and only an event
tells the search index (and other subscribers) to catch up. A change
without one would leave the index behind — and, for a change that takes
a case away from an agency, still counting it in that agency's totals."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PUBLISHERS = ("publish(", "_publish(", "_case_event(")


def timeline_writers_without_events():
    for path in sorted((ROOT / "casehub" / "services").glob("*.py")):
        source = path.read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.FunctionDef) and node.name != "record_event":
                body = ast.get_source_segment(source, node)
                if "record_event(" in body and not any(p in body for p in PUBLISHERS):
                    yield f"{path.name}:{node.name}"


def test_every_timeline_write_publishes_an_event():
    assert list(timeline_writers_without_events()) == []


def test_the_check_finds_timeline_writers():
    source = (ROOT / "casehub" / "services" / "participants.py").read_text(encoding="utf-8")
    assert "record_event(" in source
