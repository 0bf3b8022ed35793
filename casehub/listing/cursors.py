"""Keyset cursors: an opaque token for "the rows past this one" in one
direction, in the list's order. Newest first, the position is the id
(``n123`` forward, ``r123`` back, base64: the tokens the API has always
given); by deadline it is (next_deadline_on, id), ``-`` for a case without a
running deadline (``dn2026-05-01.123``)."""

from __future__ import annotations

import base64
import binascii
from datetime import date

from django.core.exceptions import ValidationError as FormError
from django.utils.translation import gettext as _

NEWEST, DEADLINE = "-id", "deadline"


def position(order: str, row):
    """Where a page row (id first, the next deadline's day at index 14)
    stands in the order: its id, or (day or None, id)."""
    if order != DEADLINE:
        return row[0]
    due = row[14]
    if isinstance(due, str):
        due = date.fromisoformat(due[:10])
    return due, row[0]


def encode(order: str, row, reverse: bool) -> str:
    """The cursor for the rows past `row` going forward, or before it when
    `reverse`."""
    direction = "r" if reverse else "n"
    if order == DEADLINE:
        due, row_id = position(order, row)
        text = f"d{direction}{'-' if due is None else due.isoformat()}.{row_id}"
    else:
        text = f"{direction}{row[0]}"
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode(token: str, order: str):
    """(position, reverse): the position an id, or (day or None, id) for
    the deadline order. A token of the other order is invalid."""
    try:
        text = base64.urlsafe_b64decode(token.encode("ascii") + b"=" * (-len(token) % 4)).decode("ascii")
        if order == DEADLINE:
            if text[0] != "d":
                raise ValueError
            direction, rest = text[1], text[2:]
            day, _dot, position = rest.partition(".")
            position = (None if day == "-" else date.fromisoformat(day), int(position))
            ok = position[1] >= 0
        else:
            direction, position = text[0], int(text[1:])
            ok = position >= 0
    except (ValueError, IndexError, UnicodeError, binascii.Error):
        raise FormError(_("Invalid cursor.")) from None
    if direction not in "nr" or not ok:
        raise FormError(_("Invalid cursor."))
    return position, direction == "r"


def page_cursors(values: dict, page) -> tuple[str | None, str | None, bool]:
    """(next, previous, back_to_start) for a fetched page: the cursors of
    the pages after and before it, if any; past either end (an empty page
    reached by a cursor) the way back is the list's start."""
    order = values.get("order", NEWEST)
    had_cursor = "cursor" in values
    rows = page.rows
    if not rows:
        return None, None, had_cursor
    more_after = page.has_more if not page.reverse else True
    more_before = page.has_more if page.reverse else had_cursor
    next_cursor = encode(order, rows[-1], False) if more_after else None
    previous_cursor = encode(order, rows[0], True) if more_before else None
    return next_cursor, previous_cursor, False
