"""Queries about wins and the team-channel posts that celebrate them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.store.models import Win
from bot.store.records import WinRecord, win_record


def add_win(session: Session, person_id: int, text: str, *, shared: bool, week: str, created_at: datetime,
            foundation: str | None = None) -> WinRecord:
    win = Win(person_id=person_id, text=text, shared=shared, week=week, created_at=created_at, foundation=foundation)
    session.add(win)
    session.flush()
    return win_record(win)


def find_win(session: Session, win_id: int) -> WinRecord | None:
    win = session.get(Win, win_id)
    return None if win is None else win_record(win)


def mark_posted(session: Session, win_id: int, channel: str, message_ts: str) -> None:
    win = session.get(Win, win_id)
    if win is not None:
        win.channel, win.message_ts = channel, message_ts


def shared_posts(session: Session, person_id: int) -> list[tuple[str, str]]:
    """(channel, ts) of every team-channel message that celebrates one of the person's wins."""
    rows = session.execute(select(Win.channel, Win.message_ts).where(
        Win.person_id == person_id, Win.channel.is_not(None), Win.message_ts.is_not(None)).order_by(Win.id))
    return [(channel, ts) for channel, ts in rows if channel and ts]
