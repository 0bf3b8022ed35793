"""Tasks the worker runs every so often (deadline reminders, the public
feed's expiry): apps register them here, so the worker runs them without
importing the apps."""

from __future__ import annotations

import logging
from collections.abc import Callable

log = logging.getLogger("casehub.worker")
_tasks: dict[str, Callable[[], object]] = {}


def register(name: str, task: Callable[[], object]) -> None:
    _tasks[name] = task


def run_all() -> dict[str, object]:
    """Run every task; one failing does not stop the others."""
    results = {}
    for name, task in _tasks.items():
        try:
            results[name] = task()
        except Exception:  # noqa: BLE001 — logged; retried at the next round
            log.exception("periodic task %s failed", name)
    return results
