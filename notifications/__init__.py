"""Notifications between agencies: durable inbox and WebSocket push.
Subscribes to the core's domain events; the core never imports this package."""
