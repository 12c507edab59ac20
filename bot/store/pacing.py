"""The per-workspace token bucket for chat.postMessage, in the database so every process shares it.

One row per workspace: the tokens left at ``updated_at`` and a pause (``paused_until``) set by a
429. Taking tokens is one short transaction: lock the row (``FOR UPDATE`` on PostgreSQL; SQLite's
``BEGIN IMMEDIATE`` already serialises writers), refill by the time passed, grant, write back.
Times are epoch seconds from the caller, so tests can move them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.store.db import insert_or_ignore
from bot.store.models import SendPacing


@dataclass(frozen=True)
class Grant:
    tokens: int  # how many posts the caller may make
    start: float  # when the first of them may go (epoch seconds); the rest follow at the bucket's rate
    wait: float  # when none: seconds until asking again is worth it


def take(session: Session, team_id: str, *, want: int, now: float, rate: float, burst: float,
         lease: float) -> Grant:
    """Up to ``want`` tokens of ``team_id``'s bucket (``rate`` per second, at most ``burst`` saved).

    Tokens may be granted ahead of time, up to ``lease`` seconds of the rate: the bucket then goes
    into debt, and the caller spaces its posts at the rate from ``start`` on. Every process asking
    meanwhile is granted tokens only after that debt, so together they stay within the rate, and
    one transaction covers many posts.
    """
    query = select(SendPacing.tokens, SendPacing.updated_at, SendPacing.paused_until).where(
        SendPacing.team_id == team_id)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    row = session.execute(query).one_or_none()
    if row is None:
        session.execute(insert_or_ignore(session, SendPacing, index_elements=["team_id"]).values(
            team_id=team_id, tokens=burst, updated_at=now, paused_until=0.0))
        row = session.execute(query).one()
    tokens, updated_at, paused_until = row
    if now < paused_until:
        return Grant(0, paused_until, paused_until - now)
    tokens = min(burst, tokens + max(0.0, now - updated_at) * rate)
    granted = max(0, min(want, math.floor(tokens + rate * lease)))
    if granted == 0:
        return Grant(0, now, max(0.0, (1 - tokens) / rate - lease))
    start = now + max(0.0, (1 - tokens) / rate)
    session.execute(update(SendPacing).where(SendPacing.team_id == team_id)
                    .values(tokens=tokens - granted, updated_at=now)
                    .execution_options(synchronize_session=False))
    return Grant(granted, start, 0.0)


def pause(session: Session, team_id: str, *, until: float, now: float) -> None:
    """Slack said 429: no process posts to ``team_id`` before ``until``, and the bucket starts empty."""
    session.execute(insert_or_ignore(session, SendPacing, index_elements=["team_id"]).values(
        team_id=team_id, tokens=0.0, updated_at=now, paused_until=until))
    session.execute(update(SendPacing).where(SendPacing.team_id == team_id, SendPacing.paused_until < until)
                    .values(paused_until=until, tokens=0.0, updated_at=now)
                    .execution_options(synchronize_session=False))
