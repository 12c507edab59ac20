"""Queries about wins, and the rows celebrations leave behind."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.store.models import Delivery, Win


def add_win(session: Session, person_id: int, text: str, *, shared: bool, week: str, created_at: datetime,
            foundation: str | None = None) -> Win:
    win = Win(person_id=person_id, text=text, shared=shared, week=week, created_at=created_at, foundation=foundation)
    session.add(win)
    session.flush()
    return win


def mark_posted(session: Session, win_id: int, channel: str, message_ts: str) -> None:
    win = session.get(Win, win_id)
    if win is not None:
        win.channel, win.message_ts = channel, message_ts


def wins_of(session: Session, person_id: int) -> list[Win]:
    return list(session.scalars(select(Win).where(Win.person_id == person_id).order_by(Win.id)))


def shared_posts(session: Session, person_id: int) -> list[tuple[str, str]]:
    """(channel, ts) of every team-channel message that celebrates one of the person's wins."""
    rows = session.execute(select(Win.channel, Win.message_ts).where(
        Win.person_id == person_id, Win.channel.is_not(None), Win.message_ts.is_not(None)).order_by(Win.id))
    return [(channel, ts) for channel, ts in rows]


def delete_deliveries_to(session: Session, team_id: str, recipient: str) -> int:
    """Forget the ledger rows about one recipient (their nudges, prompts, celebrations).

    The ledger has no foreign key to people (its recipient is a Slack id), so erasing a person
    removes these rows explicitly. Returns how many were deleted.
    """
    result = session.execute(delete(Delivery).where(Delivery.team_id == team_id, Delivery.recipient == recipient)
                             .execution_options(synchronize_session=False))
    return result.rowcount or 0
