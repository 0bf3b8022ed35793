"""Domain events: the core publishes, other apps subscribe.

Two kinds of subscriber, both registered by the subscribing app in its
AppConfig.ready() — the core never imports them:

- ``on_commit_in_transaction`` handlers run synchronously inside the
  publishing transaction, for writes to the same database that must stand or
  fall with the change (a notification's inbox row);
- outbox subscribers get a durable row per event in the same transaction,
  drained by the worker with retries, for side effects outside the database
  (the search index, pushes through Redis).
"""

from .bus import Event, publish, subscribe, subscribe_in_transaction, subscribers

__all__ = ["Event", "publish", "subscribe", "subscribe_in_transaction", "subscribers"]
