"""The delivery ledger: claim a (team, recipient, item, week) before sending, once across processes.

The unique key on :class:`~bot.store.models.Delivery` lets exactly one claimant insert the row.
A claim still ``claimed`` after ``stale_after`` belonged to a process that died before it could
record the outcome; one other process may then take it over (compare-and-set on the claim token).
Statuses: ``claimed`` → ``sent`` | ``skipped``; ``unsure`` when a send may or may not have landed.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.store.db import affected
from bot.store.models import Delivery

DEFAULT_STALE_AFTER = timedelta(minutes=10)
UNSURE = "unsure"  # released after a send whose outcome is unknown; taken over at once, with a lookup


class Claim(Enum):
    NEW = "new"  # first claim: send
    TAKEN_OVER = "taken_over"  # a dead process's claim: check whether it already sent, then send
    HELD = "held"  # someone else holds it, or it is already done: do nothing


def new_token() -> str:
    return uuid.uuid4().hex


@dataclass(frozen=True)
class ClaimResult:
    claim: Claim
    # When the claim we took over began: a message the dead claimant sent can only be newer.
    previous_claimed_at: datetime | None = None


def claim(session: Session, *, team_id: str, recipient: str, item: str, week: str, token: str,
          now: datetime, stale_after: timedelta = DEFAULT_STALE_AFTER) -> ClaimResult:
    """Try to claim the delivery for ``token`` (the caller's session commits it).

    A row is taken over when it is still ``claimed`` after ``stale_after`` (its process died), or
    when it is ``unsure`` (its sender could not tell whether Slack accepted the message). The
    compare-and-set on the previous token lets exactly one process take it over.
    """
    try:
        with session.begin_nested():
            session.add(Delivery(team_id=team_id, recipient=recipient, item=item, week=week, status="claimed",
                                 claim_token=token, claimed_at=now, attempts=1))
            session.flush()
        return ClaimResult(Claim.NEW)
    except IntegrityError:
        pass
    key = (Delivery.team_id == team_id, Delivery.recipient == recipient, Delivery.item == item,
           Delivery.week == week)
    row = session.execute(select(Delivery.claim_token, Delivery.claimed_at).where(
        *key, or_(and_(Delivery.status == "claimed", Delivery.claimed_at < now - stale_after),
                  Delivery.status == UNSURE))).one_or_none()
    if row is None:
        return ClaimResult(Claim.HELD)
    previous_token, previous_claimed_at = row
    taken = session.execute(
        update(Delivery)
        .where(*key, Delivery.claim_token == previous_token, Delivery.status.in_(("claimed", UNSURE)))
        .values(claim_token=token, status="claimed", claimed_at=now, attempts=Delivery.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    if affected(taken) != 1:
        return ClaimResult(Claim.HELD)
    return ClaimResult(Claim.TAKEN_OVER, previous_claimed_at)


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
    return affected(result) == 1


def release(session: Session, *, team_id: str, recipient: str, item: str, week: str, token: str,
            uncertain: bool = False) -> None:
    """Give a claim back after a failure that is worth retrying at the next sweep.

    ``uncertain`` says Slack may have accepted the message anyway (a timeout, a 5xx): the row is
    then kept as ``unsure`` so the next claimant takes it over and looks for the message before
    sending, instead of starting afresh and maybe sending it twice.
    """
    row = session.scalars(select(Delivery).where(
        Delivery.team_id == team_id, Delivery.recipient == recipient, Delivery.item == item, Delivery.week == week,
        Delivery.claim_token == token, Delivery.status == "claimed")).one_or_none()
    if row is None:
        return
    if uncertain:
        row.status = UNSURE
    else:
        session.delete(row)


def delete_deliveries_to(session: Session, team_id: str, recipient: str) -> int:
    """Forget the ledger rows about one recipient (their nudges, prompts, celebrations).

    The ledger has no foreign key to people (its recipient is a Slack id), so erasing a person
    removes these rows explicitly. Returns how many were deleted.
    """
    result = session.execute(delete(Delivery).where(Delivery.team_id == team_id, Delivery.recipient == recipient)
                             .execution_options(synchronize_session=False))
    return affected(result)


def backlog(session: Session) -> int:
    """Deliveries claimed and not finished: in flight, abandoned by a dead process, or unsure."""
    return int(session.scalar(select(func.count()).select_from(Delivery).where(
        Delivery.status.in_(("claimed", UNSURE)))) or 0)
