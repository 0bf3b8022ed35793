"""WebSocket routes of every app, gathered by the project (not by the case
domain): an app that serves sockets lists its patterns in
``<app>.routing.websocket_urlpatterns``."""

from importlib import import_module

from django.apps import apps


def _collect():
    patterns = []
    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.routing")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.routing":
                raise
            continue
        patterns.extend(getattr(module, "websocket_urlpatterns", []))
    return patterns


websocket_urlpatterns = _collect()
