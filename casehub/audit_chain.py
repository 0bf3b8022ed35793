"""What keys and serialises the audit chain: the HMAC keyring, the canonical
encoding that is signed, and the lock that keeps the chain from forking.

The key comes from the environment (AUDIT_HMAC_KEY), never from the database:
whoever can rewrite the tables cannot recompute a valid hash (GB/T 22239-2019
8.1.4.3 d: audit records protected against deletion, modification and
overwriting). Every entry and checkpoint names the id of the key that signed
it, so the key can be rotated: the new key signs from then on, retired keys
(AUDIT_HMAC_OLD_KEYS) still verify what they signed.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from functools import lru_cache

from django.conf import settings
from django.db import connection

GENESIS = "0" * 64
_LOCK_KEY = 0x63617365  # "case": the advisory lock that serialises appends


def _key_id(key: bytes) -> str:
    # Derived from the key, so the environment holds keys only; it reveals
    # nothing usable about the key (an HMAC of a constant).
    return hmac.new(key, b"casehub audit key id", hashlib.sha256).hexdigest()[:12]


@lru_cache(maxsize=8)
def _keyring(current: str, old: tuple[str, ...]) -> tuple[str, dict[str, bytes]]:
    keys = {}
    for text in (*old, current):
        raw = text.encode()
        keys[_key_id(raw)] = raw
    return _key_id(current.encode()), keys


def keyring() -> tuple[str, dict[str, bytes]]:
    """(id of the signing key, every known key by id)."""
    return _keyring(settings.AUDIT_HMAC_KEY, tuple(settings.AUDIT_HMAC_OLD_KEYS))


def signing_key_id() -> str:
    return keyring()[0]


class UnknownKey(LookupError):
    pass


def sign(key_id: str, payload: bytes) -> str:
    key = keyring()[1].get(key_id)
    if key is None:
        raise UnknownKey(key_id)
    return hmac.new(key, payload, hashlib.sha256).hexdigest()


def signature_matches(key_id: str, payload: bytes, signature: str) -> bool:
    try:
        return hmac.compare_digest(sign(key_id, payload), signature or "")
    except UnknownKey:
        return False


def canonical(values) -> bytes:
    """One stable byte string for a list of values (what is signed)."""
    return json.dumps(values, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode()


def lock_chain() -> None:
    """Serialise writers of the chain and its checkpoints until the end of the
    transaction (SQLite has one writer anyway). Call inside atomic()."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])
