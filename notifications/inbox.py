"""Writing notifications into inboxes, in the transaction of the event that
causes them, and reading them back (unread counts, marking read, replay)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from django.conf import settings
from django.db import connections, router
from django.db.models import Case as When_, IntegerField, Value, When
from django.utils import timezone

from casehub import access
from casehub.events.bus import Event

from .kinds import Scope, render
from .models import Inbox, Notification, Preference
from .recipients import Notice, notices_for


def audience(notice: Notice) -> set[int]:
    """The notice's recipients: the people it concerns unless they turned
    its kind off, plus members of its agencies who asked for all of that
    kind; never the actor; only people who may see what it is about."""
    prefs = Preference.objects.filter(kind=notice.kind)
    muted = set(prefs.filter(user_id__in=notice.personal, enabled=False).values_list("user_id", flat=True))
    people = notice.personal - muted
    if notice.agencies:
        opted_in = prefs.filter(enabled=True, scope=Scope.AGENCY).values_list("user_id", flat=True)
        people |= access.current_members(notice.agencies, user_ids=opted_in)
    people.discard(notice.actor_id)
    if not people:
        return set()
    return access.current_members(notice.visible_to, user_ids=people)


def on_event(event: Event) -> None:
    """In-transaction subscriber: the inbox rows commit or roll back with
    the change they report."""
    rows = []
    for notice in notices_for(event):
        text = render(notice.kind, notice.params, settings.LANGUAGE_CODE)
        payload = {**notice.link, "params": notice.params, "event": event.type}
        for user_id in sorted(audience(notice)):
            rows.append(Notification(recipient_id=user_id, agency_id=notice.agency_id, kind=notice.kind,
                                     case_id=notice.case_id, actor_id=notice.actor_id, text=text, payload=payload))
    if rows:
        store(rows)


def store(rows: list[Notification]) -> list[Notification]:
    """Number each row in its recipient's sequence and save them all. The
    inbox rows are locked in user order, so two transactions never wait
    on each other in a cycle."""
    user_ids = sorted({row.recipient_id for row in rows})
    Inbox.objects.bulk_create([Inbox(user_id=u) for u in user_ids], ignore_conflicts=True)
    last = dict(Inbox.objects.select_for_update().filter(user_id__in=user_ids).order_by("user_id")
                .values_list("user_id", "last_seq"))
    for row in rows:
        last[row.recipient_id] += 1
        row.seq = last[row.recipient_id]
    Inbox.objects.filter(user_id__in=user_ids).update(
        last_seq=When_(*[When(user_id=u, then=Value(seq)) for u, seq in last.items()], output_field=IntegerField())
    )
    Notification.objects.bulk_create(rows)
    from .push import push_on_commit

    push_on_commit(rows)
    return rows


@cache
def _unread_statement(alias: str) -> str:
    # Built once from the model's metadata; it reads the partial index
    # notification_unread (the recipient's unread rows).
    quote = connections[alias].ops.quote_name
    meta = Notification._meta
    return (f"SELECT COUNT(*) FROM {quote(meta.db_table)} WHERE {quote(meta.get_field('recipient').column)} = %s "
            f"AND {quote(meta.get_field('read_at').column)} IS NULL")


def unread_count(user) -> int:
    """Exact, read on every page (the bell): one plain statement, not a
    queryset, whose building and compiling cost more than the count."""
    alias = router.db_for_read(Notification)
    with connections[alias].cursor() as cursor:
        cursor.execute(_unread_statement(alias), [user.pk])
        return cursor.fetchone()[0]


def latest_unread(user, limit: int = 5) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, read_at__isnull=True).order_by("-seq")[:limit])


def mark_read(user, ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications read (all of them if ids is None);
    returns how many changed. Another user's ids change nothing."""
    mine = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        mine = mine.filter(pk__in=list(ids))
    return mine.update(read_at=timezone.now())


def after(user_id: int, seq: int, limit: int = 500) -> list[Notification]:
    """What a client that has seen `seq` missed, oldest first."""
    return list(Notification.objects.filter(recipient_id=user_id, seq__gt=seq).order_by("seq")[:limit])


def seq_of(user_id: int, notification_id: int) -> int | None:
    """The sequence number of one of the user's notifications; None for an
    id that is not theirs."""
    return Notification.objects.filter(recipient_id=user_id, pk=notification_id).values_list("seq", flat=True).first()


def last_seq(user_id: int) -> int:
    return Inbox.objects.filter(user_id=user_id).values_list("last_seq", flat=True).first() or 0


def last_seqs(user_ids: list[int]) -> dict[int, int]:
    return dict(Inbox.objects.filter(user_id__in=user_ids).values_list("user_id", "last_seq"))


def serialize(n: Notification, language: str | None = None) -> dict:
    params = n.payload.get("params", {})
    return {
        "id": n.pk, "seq": n.seq, "kind": n.kind, "text": render(n.kind, params, language) if language else n.text,
        "case": n.case_id, "agency": n.agency_id, "actor": n.actor_id,
        "link": {k: v for k, v in n.payload.items() if k not in ("params", "event")},
        "created_at": n.created_at.isoformat(), "read": n.read_at is not None,
    }
