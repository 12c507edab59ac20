"""The delivery ledger: claim a (team, recipient, item, week) before sending, once across processes.

The unique key on :class:`~bot.store.models.Delivery` lets exactly one claimant insert the row.
A claim still ``claimed`` after ``stale_after`` belonged to a process that died before it could
record the outcome; one other process may then take it over (compare-and-set on the claim token).
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from enum import Enum

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.store.models import Delivery

DEFAULT_STALE_AFTER = timedelta(minutes=10)


class Claim(Enum):
    NEW = "new"  # first claim: send
    TAKEN_OVER = "taken_over"  # a dead process's claim: check whether it already sent, then send
    HELD = "held"  # someone else holds it, or it is already done: do nothing


def new_token() -> str:
    return uuid.uuid4().hex


def claim(session: Session, *, team_id: str, recipient: str, item: str, week: str, token: str, now: datetime,
          stale_after: timedelta = DEFAULT_STALE_AFTER) -> Claim:
    """Try to claim the delivery for ``token``; commits nothing itself (the caller's session does)."""
    try:
        with session.begin_nested():
            session.add(Delivery(team_id=team_id, recipient=recipient, item=item, week=week, status="claimed",
                                 claim_token=token, claimed_at=now, attempts=1))
            session.flush()
        return Claim.NEW
    except IntegrityError:
        pass
    taken = session.execute(
        update(Delivery)
        .where(Delivery.team_id == team_id, Delivery.recipient == recipient, Delivery.item == item,
               Delivery.week == week, Delivery.status == "claimed", Delivery.claimed_at < now - stale_after)
        .values(claim_token=token, claimed_at=now, attempts=Delivery.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    return Claim.TAKEN_OVER if taken.rowcount == 1 else Claim.HELD


def finish(session: Session, *, team_id: str, recipient: str, item: str, week: str, token: str, status: str,
           now: datetime, message_ts: str | None = None, detail: str | None = None) -> bool:
    """Record the outcome (``sent`` or ``skipped``) of a claim we still hold; False if we lost it."""
    result = session.execute(
        update(Delivery)
        .where(Delivery.team_id == team_id, Delivery.recipient == recipient, Delivery.item == item,
               Delivery.week == week, Delivery.claim_token == token)
        .values(status=status, sent_at=now if status == "sent" else None, message_ts=message_ts,
                detail=detail[:255] if detail else None)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def release(session: Session, *, team_id: str, recipient: str, item: str, week: str, token: str) -> None:
    """Give a claim back after a failure that is worth retrying at the next sweep."""
    row = session.scalars(select(Delivery).where(
        Delivery.team_id == team_id, Delivery.recipient == recipient, Delivery.item == item, Delivery.week == week,
        Delivery.claim_token == token, Delivery.status == "claimed")).one_or_none()
    if row is not None:
        session.delete(row)


def status_of(session: Session, *, team_id: str, recipient: str, item: str, week: str) -> str | None:
    return session.scalar(select(Delivery.status).where(
        Delivery.team_id == team_id, Delivery.recipient == recipient, Delivery.item == item, Delivery.week == week))
