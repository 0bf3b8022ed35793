"""Services raise the one refusal type (casehub/rules/refusal.py)."""

from ..rules.refusal import NON_FIELD, Conflict, Kind, Refused

__all__ = ["NON_FIELD", "Conflict", "Kind", "Refused"]
