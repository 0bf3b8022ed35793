from .outbox import OutboxMessage

__all__ = ["OutboxMessage"]
