"""Queries about library prompts: what was sent to whom, their verdicts, and what people did.

The choice rule (``bot/coaching/choice.py``) is pure; these queries load what it needs, and
record what the buttons on a prompt produce (feedback, learning minutes, reflections).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.store.models import LearningLog, Person, PromptFeedback, PromptSend, Reflection
from bot.store.records import PromptSendRecord

HELPFUL = "helpful"
NOT_FOR_ME = "not_for_me"
VERDICTS = (HELPFUL, NOT_FOR_ME)


def sent_history(session: Session, person_id: int) -> dict[str, str]:
    """prompt id -> the latest week it was sent to the person."""
    rows = session.execute(select(PromptSend.prompt_id, func.max(PromptSend.week))
                           .where(PromptSend.person_id == person_id).group_by(PromptSend.prompt_id))
    return {prompt_id: week for prompt_id, week in rows}


def rejected(session: Session, person_id: int) -> set[str]:
    """Prompts whose latest verdict from the person is "not for me"."""
    return set(session.scalars(select(PromptFeedback.prompt_id).where(
        PromptFeedback.person_id == person_id, PromptFeedback.verdict == NOT_FOR_ME)))


def team_votes(session: Session, team_id: str) -> dict[str, tuple[int, int]]:
    """prompt id -> (helpful, not for me) votes across the workspace (one vote per person)."""
    rows = session.execute(
        select(PromptFeedback.prompt_id, PromptFeedback.verdict, func.count())
        .join(Person, Person.id == PromptFeedback.person_id)
        .where(Person.team_id == team_id).group_by(PromptFeedback.prompt_id, PromptFeedback.verdict))
    votes: dict[str, tuple[int, int]] = {}
    for prompt_id, verdict, count in rows:
        helpful, not_for_me = votes.get(prompt_id, (0, 0))
        if verdict == HELPFUL:
            helpful += count
        elif verdict == NOT_FOR_ME:
            not_for_me += count
        votes[prompt_id] = (helpful, not_for_me)
    return votes


def record_send(session: Session, person_id: int, prompt_id: str, kind: str, week: str, sent_at: datetime) -> None:
    session.add(PromptSend(person_id=person_id, prompt_id=prompt_id, kind=kind, week=week, sent_at=sent_at))
    session.flush()


def was_sent(session: Session, person_id: int, prompt_id: str) -> bool:
    """Whether ``prompt_id`` was ever sent to the person: only then may they act on it."""
    return session.scalar(select(func.count()).select_from(PromptSend).where(
        PromptSend.person_id == person_id, PromptSend.prompt_id == prompt_id)) != 0


def set_feedback(session: Session, person_id: int, prompt_id: str, verdict: str, at: datetime) -> None:
    """Store the person's verdict on a prompt; a later one replaces an earlier one.

    Two quick clicks can race to insert; the unique (person, prompt) key turns the loser's insert
    into an update.
    """
    if verdict not in VERDICTS:
        raise ValueError(f"unknown verdict {verdict!r}")
    for _ in range(2):
        row = session.scalars(select(PromptFeedback).where(
            PromptFeedback.person_id == person_id, PromptFeedback.prompt_id == prompt_id)).one_or_none()
        if row is not None:
            row.verdict, row.at = verdict, at
            session.flush()
            return
        try:
            with session.begin_nested():
                session.add(PromptFeedback(person_id=person_id, prompt_id=prompt_id, verdict=verdict, at=at))
                session.flush()
            return
        except IntegrityError:
            continue
    raise RuntimeError("could not store the verdict")  # pragma: no cover - needs three racing writers


def add_learning(session: Session, person_id: int, week: str, prompt_id: str | None, minutes: int,
                 at: datetime) -> None:
    session.add(LearningLog(person_id=person_id, week=week, prompt_id=prompt_id, minutes=minutes, created_at=at))
    session.flush()


def save_reflection(session: Session, person_id: int, week: str, prompt_id: str | None, text: str,
                    at: datetime) -> None:
    """Store the person's answer to a week's reflection prompt; answering again replaces it."""
    row = session.scalars(select(Reflection).where(
        Reflection.person_id == person_id, Reflection.week == week, Reflection.prompt_id == prompt_id)
        .order_by(Reflection.id)).first()
    if row is None:
        row = Reflection(person_id=person_id, week=week, prompt_id=prompt_id, text=text, created_at=at)
        session.add(row)
    else:
        row.text, row.created_at = text, at
    session.flush()


def sent_prompts(session: Session, person_id: int) -> list[PromptSendRecord]:
    """Every prompt sent to the person, oldest first."""
    rows = session.scalars(select(PromptSend).where(PromptSend.person_id == person_id)
                           .order_by(PromptSend.week, PromptSend.sent_at, PromptSend.id))
    return [PromptSendRecord(row.prompt_id, row.kind, row.week, row.sent_at) for row in rows]


def record_sends(session: Session, sends: list[tuple[int, str, str, str]], sent_at: datetime) -> None:
    """Several (person id, prompt id, kind, week) sends at once: one multi-row INSERT."""
    if sends:
        session.execute(insert(PromptSend), [{"person_id": person_id, "prompt_id": prompt_id, "kind": kind,
                                              "week": week, "sent_at": sent_at}
                                             for person_id, prompt_id, kind, week in sends])
