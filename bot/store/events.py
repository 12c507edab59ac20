"""Remembering which Slack requests were handled, to act once on each however often Slack sends it.

``processed_events`` holds one row per request key (an event id, or the trigger id of a command,
click or submission) with the time it arrived; :func:`forget_before` keeps it bounded.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import delete, select, text
from sqlalchemy.orm import Session

from bot.store.db import affected, insert_or_ignore
from bot.store.models import ProcessedEvent

KEY_LENGTH = 64  # the column's size


def first_time_seen(session: Session, key: str, now: datetime) -> bool:
    """Record ``key``; False when it was recorded before (a re-sent request).

    One ``INSERT … ON CONFLICT DO NOTHING``: no read first, no savepoint, and two copies racing
    each other cannot both win. A key longer than the column is stored as its SHA-256.
    """
    if len(key) > KEY_LENGTH:
        key = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()
    if session.get_bind().dialect.name == "postgresql":
        # This commit is on every request's way to its acknowledgement: PostgreSQL may confirm it
        # before its WAL reaches the disk. A crash in that moment can forget a key, and then at
        # worst a copy Slack re-sends is acted on; the request itself was answered.
        session.execute(text("SET LOCAL synchronous_commit TO OFF"))
    statement = insert_or_ignore(session, ProcessedEvent, index_elements=["event_id"])
    inserted = session.execute(statement.values(event_id=key, received_at=now).returning(ProcessedEvent.event_id))
    return inserted.first() is not None


def forget_before(session: Session, cutoff: datetime, *, limit: int | None = None) -> int:
    """Forget the keys that arrived before ``cutoff`` (at most ``limit`` of them); returns how many.

    Slack re-sends a request within minutes, so a key a day old is never needed again; the
    scheduler's pruning job calls this with a cutoff a week back, a chunk per transaction.
    """
    old = ProcessedEvent.received_at < cutoff
    if limit is not None:
        keys = select(ProcessedEvent.event_id).where(old).limit(limit).scalar_subquery()
        return affected(session.execute(delete(ProcessedEvent).where(ProcessedEvent.event_id.in_(keys))))
    return affected(session.execute(delete(ProcessedEvent).where(old)))
