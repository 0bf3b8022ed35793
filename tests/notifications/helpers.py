"""Driving a transfer to the police through the API, for the notification
tests (the transfer tests' own helper)."""

from tests.transfers.helpers import send_transfer_to_police

__all__ = ["send_transfer_to_police"]
