"""What the notifications app listens to on the core's event bus."""

from casehub.events import bus


def register() -> None:
    from . import inbox, push
    from .recipients import EVENT_TYPES

    # In the event's own transaction: a notification exists exactly when the
    # change it reports does.
    bus.subscribe_in_transaction(EVENT_TYPES, inbox.on_event)
    bus.subscribe("notifications.push", [push.RETRY_EVENT], push.retry, batch_size=50)
