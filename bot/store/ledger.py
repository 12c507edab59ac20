"""The delivery ledger: claim a (team, recipient, item, week) before sending, once across processes.

The unique key on :class:`~bot.store.models.Delivery` lets exactly one claimant insert the row.
A claim still ``claimed`` after ``stale_after`` belonged to a process that died before it could
record the outcome; one other process may then take it over (compare-and-set on the claim token).
Statuses: ``claimed`` → ``sent`` | ``skipped``; ``unsure`` when a send may or may not have landed.

Sweeps work by the chunk (:func:`queue`, :func:`take_queued`, :func:`record`): the leading
process queues every due key of a chunk with one statement (status ``queued``), any process takes
a chunk of queued rows under one claim token, posts, and records the chunk's outcomes with one
statement. The promises stay those of the single-row functions: a row is claimed before its
message is posted, a claim older than the timeout is taken over (queued again, and its new
sender looks for the message first), and a finished row is never claimed again.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from sqlalchemy import and_, bindparam, delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.store.db import affected, insert_or_ignore
from bot.store.models import Delivery, UTCDateTime

DEFAULT_STALE_AFTER = timedelta(minutes=10)
DONE_STATUSES = ("sent", "skipped")  # finished: never claimed again
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


# whole chunks: the leader queues, any process takes and records ------------------------------------
QUEUED = "queued"  # waiting for a sender: handed out by :func:`take_queued`
# A queued row nobody took within a day belongs to a slot whose day is over: sending it now would
# arrive a day late, so it is left to the pruning job.
MAX_QUEUED_AGE = timedelta(days=1)

DeliveryKey = tuple[str, str, str]  # (team, recipient, week) of one item


@dataclass(frozen=True)
class Queued:
    """What :func:`queue` did with a chunk of due keys."""

    new: int  # queued for the first time
    taken_over: int  # a dead claim or an unsure send, queued again (its sender looks before posting)
    held: int  # live claims and rows already queued: someone else has them


def queue(session: Session, item: str, keys: list[DeliveryKey], *, now: datetime,
          stale_after: timedelta = DEFAULT_STALE_AFTER) -> Queued:
    """Put a chunk of due keys of ``item`` in the ledger for any sender to take.

    One ``INSERT … ON CONFLICT DO NOTHING RETURNING`` claims every new key at once; only keys that
    already had a row cost a second statement, which queues again the claims whose process died
    and the sends left unsure, exactly as :func:`claim` would take them over.
    """
    if not keys:
        return Queued(0, 0, 0)
    statement = insert_or_ignore(session, Delivery, index_elements=["team_id", "recipient", "item", "week"])
    # A list of parameter sets: SQLAlchemy sends it as multi-row VALUES pages ("insertmanyvalues")
    # with a statement compiled once, where .values([...]) would compile one per chunk.
    inserted = session.execute(statement.returning(Delivery.team_id, Delivery.recipient, Delivery.week), [
        {"team_id": team, "recipient": recipient, "item": item, "week": week, "status": QUEUED, "claim_token": "",
         "claimed_at": now, "queued_at": now, "attempts": 0} for team, recipient, week in keys])
    fresh = {tuple(row) for row in inserted}
    rest = [key for key in keys if key not in fresh]
    if not rest:
        return Queued(len(fresh), 0, 0)
    taken = 0
    by_team_week: dict[tuple[str, str], list[str]] = {}
    for team, recipient, week in rest:
        by_team_week.setdefault((team, week), []).append(recipient)
    for (team, week), recipients in by_team_week.items():  # the unique key's index, not a row-value IN
        taken += affected(session.execute(
            update(Delivery)
            .where(Delivery.team_id == team, Delivery.item == item, Delivery.week == week,
                   Delivery.recipient.in_(recipients),
                   or_(and_(Delivery.status == "claimed", Delivery.claimed_at < now - stale_after),
                       Delivery.status == UNSURE))
            .values(status=QUEUED, claim_token="", queued_at=now)
            .execution_options(synchronize_session=False)))
    return Queued(len(fresh), taken, len(rest) - taken)


@dataclass(frozen=True)
class Taken:
    """A queued delivery this process now holds under its chunk's claim token."""

    id: int
    team_id: str
    recipient: str
    item: str
    week: str
    # Set when an earlier claimant may have sent it: look in the conversation from then on first.
    previous_claimed_at: datetime | None


def take_queued(session: Session, *, token: str, now: datetime, limit: int,
                items: tuple[str, ...] | None = None) -> list[Taken]:
    """Take up to ``limit`` queued deliveries (of ``items``, else any job's) for ``token``.

    On PostgreSQL ``FOR UPDATE SKIP LOCKED`` lets any number of processes take chunks at once,
    each a different one; SQLite's write transaction (``BEGIN IMMEDIATE``) serialises them.
    """
    query = (select(Delivery.id, Delivery.team_id, Delivery.recipient, Delivery.item, Delivery.week,
                    Delivery.attempts, Delivery.claimed_at)
             .where(Delivery.status == QUEUED, Delivery.queued_at >= now - MAX_QUEUED_AGE)
             .order_by(Delivery.queued_at, Delivery.id).limit(limit))
    if items is not None:
        query = query.where(Delivery.item.in_(items))
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    rows = session.execute(query).all()
    if not rows:
        return []
    session.execute(update(Delivery).where(Delivery.id.in_([row.id for row in rows]))
                    .values(status="claimed", claim_token=token, claimed_at=now, queued_at=None,
                            attempts=Delivery.attempts + 1)
                    .execution_options(synchronize_session=False))
    return [Taken(row.id, row.team_id, row.recipient, row.item, row.week,
                  row.claimed_at if row.attempts > 0 else None) for row in rows]


@dataclass(frozen=True)
class Outcome:
    """How one taken delivery ended: ``sent``/``skipped`` (finished), ``unsure``, or ``None`` (released)."""

    id: int
    status: str | None
    message_ts: str | None = None
    detail: str | None = None


def record(session: Session, *, token: str, now: datetime, outcomes: list[Outcome]) -> set[int]:
    """Record a chunk's outcomes in one UPDATE (and one DELETE for released rows); the ids still ours.

    A row whose claim was taken over meanwhile (this process was too slow) is left to its new
    owner: the token check drops it, and it is missing from the returned ids.
    """
    kept = [o for o in outcomes if o.status is not None]
    released = [o.id for o in outcomes if o.status is None]
    ours: set[int] = set()
    if kept:
        # One executemany by primary key, compiled once; it matches only rows still claimed under
        # ``token``. When it changed fewer rows than asked, one more query tells which are ours.
        changed = session.connection().execute(  # Core executemany, not the ORM's bulk UPDATE by key
            update(Delivery)
            .where(Delivery.id == bindparam("row_id"), Delivery.claim_token == token, Delivery.status == "claimed")
            .values(status=bindparam("new_status"), sent_at=bindparam("new_sent_at", type_=UTCDateTime()),
                    message_ts=bindparam("new_ts"), detail=bindparam("new_detail")),
            [{"row_id": o.id, "new_status": o.status, "new_sent_at": now if o.status == "sent" else None,
              "new_ts": o.message_ts, "new_detail": o.detail[:255] if o.detail else None} for o in kept])
        ours = {o.id for o in kept}
        if (changed.rowcount or 0) != len(kept):
            ours = set(session.scalars(select(Delivery.id).where(Delivery.id.in_(list(ours)),
                                                                 Delivery.claim_token == token,
                                                                 Delivery.status != "claimed")))
    if released:
        session.execute(delete(Delivery).where(Delivery.id.in_(released), Delivery.claim_token == token,
                                               Delivery.status == "claimed")
                        .execution_options(synchronize_session=False))
    return ours


def prune_finished(session: Session, *, before: datetime, limit: int) -> int:
    """Delete up to ``limit`` finished (or abandoned queued) rows claimed before ``before``.

    A finished row stops a repeat only within its own week's due window; once its week is long
    over nothing can ask for it again. Chunked so one pruning transaction stays short.
    """
    ids = select(Delivery.id).where(Delivery.status.in_((*DONE_STATUSES, QUEUED)),
                                    Delivery.claimed_at < before).limit(limit)
    return affected(session.execute(delete(Delivery).where(Delivery.id.in_(ids.scalar_subquery()))
                                    .execution_options(synchronize_session=False)))
def backlog(session: Session) -> int:
    """Deliveries not finished: queued for a sender, in flight, abandoned by a dead process, or unsure."""
    return int(session.scalar(select(func.count()).select_from(Delivery).where(
        Delivery.status.in_((QUEUED, "claimed", UNSURE)))) or 0)
