"""Remembering which Slack events were handled, to ignore Slack's re-sends."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.store.models import ProcessedEvent


def first_time_seen(session: Session, event_id: str, now: datetime) -> bool:
    """Record ``event_id``; False when it was recorded before (a re-sent event)."""
    try:
        with session.begin_nested():
            session.add(ProcessedEvent(event_id=event_id, received_at=now))
            session.flush()
    except IntegrityError:
        return False
    return True
