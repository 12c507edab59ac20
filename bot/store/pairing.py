"""Practice pairing: preferences, the pairs and the left-out of each round, and the answers to "did you meet?".

A round is written once, in one transaction (:func:`save_round`), by the process that holds the
round's claim in the delivery ledger; every other reader only reads it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, or_, select, union_all
from sqlalchemy.orm import Session, aliased

from bot.store.db import chunks
from bot.store.models import PairingLeftOut, PairingPreference, Person, PracticePair
from bot.store.records import LeftOutRecord, PairingPrefsRecord, PracticePairRecord

ANSWERS = ("yes", "not_yet", "skip")


def prefs_record(row: PairingPreference) -> PairingPrefsRecord:
    return PairingPrefsRecord(person_id=row.person_id, seeks=tuple(row.seeks or ()), offers=tuple(row.offers or ()),
                              note=row.note, enabled=bool(row.enabled), updated_at=row.updated_at)


# preferences ------------------------------------------------------------------------------------------
def find_prefs(session: Session, person_id: int) -> PairingPrefsRecord | None:
    row = session.get(PairingPreference, person_id)
    return None if row is None else prefs_record(row)


def save_prefs(session: Session, person_id: int, *, seeks: Sequence[str], offers: Sequence[str], note: str | None,
               enabled: bool, now: datetime) -> PairingPrefsRecord:
    row = session.get(PairingPreference, person_id)
    if row is None:
        row = PairingPreference(person_id=person_id)
        session.add(row)
    row.seeks, row.offers, row.note, row.enabled, row.updated_at = list(seeks), list(offers), note, enabled, now
    session.flush()
    return prefs_record(row)


def team_prefs(session: Session, person_ids: Collection[int]) -> dict[int, PairingPrefsRecord]:
    """The switched-on preferences of the given people (the candidates of a round)."""
    found: dict[int, PairingPrefsRecord] = {}
    for chunk in chunks(person_ids):
        for row in session.scalars(select(PairingPreference).where(
                PairingPreference.person_id.in_(chunk), PairingPreference.enabled.is_(True))):
            found[row.person_id] = prefs_record(row)
    return found


# rounds -----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class NewPair:
    seeker_id: int
    offerer_id: int
    kind: str
    note: str | None
    questions: tuple[str, ...]


def _pairs() -> Select[PracticePair, str, str]:
    seeker, offerer = aliased(Person), aliased(Person)
    return (select(PracticePair, seeker.user_id, offerer.user_id)
            .join(seeker, seeker.id == PracticePair.seeker_id)
            .join(offerer, offerer.id == PracticePair.offerer_id))


def _pair_record(found: Any) -> PracticePairRecord:
    row, seeker_user, offerer_user = found
    return PracticePairRecord(
        id=row.id, team_id=row.team_id, round=row.round, seeker_id=row.seeker_id, offerer_id=row.offerer_id,
        seeker_user=seeker_user, offerer_user=offerer_user, kind=row.kind, note=row.note,
        questions=tuple(row.questions or ()), seeker_answer=row.seeker_answer, seeker_met_week=row.seeker_met_week,
        seeker_self_note=row.seeker_self_note, offerer_answer=row.offerer_answer,
        offerer_met_week=row.offerer_met_week, offerer_self_note=row.offerer_self_note)


def pairs_of_round(session: Session, team_id: str, round_week: str) -> list[PracticePairRecord]:
    rows = session.execute(_pairs().where(PracticePair.team_id == team_id, PracticePair.round == round_week)
                           .order_by(PracticePair.id))
    return [_pair_record(row) for row in rows]


def pairs_since(session: Session, team_id: str, since_round: str, before_round: str) -> list[PracticePairRecord]:
    """The team's pairs of the rounds in [since_round, before_round): the history a new round avoids repeating."""
    rows = session.execute(_pairs().where(PracticePair.team_id == team_id, PracticePair.round >= since_round,
                                          PracticePair.round < before_round).order_by(PracticePair.id))
    return [_pair_record(row) for row in rows]


def left_out_of_round(session: Session, team_id: str, round_week: str) -> list[LeftOutRecord]:
    rows = session.execute(select(PairingLeftOut, Person.user_id).join(Person, Person.id == PairingLeftOut.person_id)
                           .where(PairingLeftOut.team_id == team_id, PairingLeftOut.round == round_week)
                           .order_by(PairingLeftOut.id))
    return [LeftOutRecord(row.person_id, user_id, tuple(row.kinds or ()), row.waited) for row, user_id in rows]


def previous_round(session: Session, team_id: str, round_week: str) -> str | None:
    """The latest round before ``round_week`` that paired or left out anyone in the team."""
    rounds = union_all(
        select(PracticePair.round.label("round")).where(PracticePair.team_id == team_id,
                                                        PracticePair.round < round_week),
        select(PairingLeftOut.round.label("round")).where(PairingLeftOut.team_id == team_id,
                                                          PairingLeftOut.round < round_week),
    ).subquery()
    return session.scalar(select(func.max(rounds.c.round)))


def round_stored(session: Session, team_id: str, round_week: str) -> bool:
    return bool(session.scalar(select(func.count()).select_from(PracticePair).where(
        PracticePair.team_id == team_id, PracticePair.round == round_week))) or bool(
        session.scalar(select(func.count()).select_from(PairingLeftOut).where(
            PairingLeftOut.team_id == team_id, PairingLeftOut.round == round_week)))


def save_round(session: Session, team_id: str, round_week: str, pairs: Sequence[NewPair],
               left_out: Sequence[tuple[int, tuple[str, ...], int]], now: datetime) -> None:
    """Store a round's pairs and left-out (person id, kinds, rounds waited); the caller holds its claim."""
    for pair in pairs:
        session.add(PracticePair(team_id=team_id, round=round_week, seeker_id=pair.seeker_id,
                                 offerer_id=pair.offerer_id, kind=pair.kind, note=pair.note,
                                 questions=list(pair.questions), created_at=now))
    for person_id, kinds, waited in left_out:
        session.add(PairingLeftOut(team_id=team_id, round=round_week, person_id=person_id, kinds=list(kinds),
                                   waited=waited))
    session.flush()


# answers ----------------------------------------------------------------------------------------------
def find_pair(session: Session, pair_id: int) -> PracticePairRecord | None:
    row = session.execute(_pairs().where(PracticePair.id == pair_id)).one_or_none()
    return None if row is None else _pair_record(row)


def record_answer(session: Session, pair_id: int, person_id: int, answer: str, week: str) -> PracticePairRecord:
    """Store one side's answer; "yes" counts in ``week``, any other answer counts nowhere."""
    if answer not in ANSWERS:
        raise ValueError(f"unknown answer {answer!r}")
    row = session.get(PracticePair, pair_id)
    if row is None or person_id not in (row.seeker_id, row.offerer_id):
        raise LookupError(f"person {person_id} is not in pair {pair_id}")
    met_week = week if answer == "yes" else None
    if person_id == row.seeker_id:
        row.seeker_answer, row.seeker_met_week = answer, met_week
    else:
        row.offerer_answer, row.offerer_met_week = answer, met_week
    session.flush()
    found = find_pair(session, pair_id)
    assert found is not None
    return found


def save_self_note(session: Session, pair_id: int, person_id: int, note: str | None) -> None:
    row = session.get(PracticePair, pair_id)
    if row is None or person_id not in (row.seeker_id, row.offerer_id):
        raise LookupError(f"person {person_id} is not in pair {pair_id}")
    if person_id == row.seeker_id:
        row.seeker_self_note = note
    else:
        row.offerer_self_note = note


# what a person's pairs add up to ------------------------------------------------------------------------
def pairs_of_person(session: Session, person_id: int) -> list[PracticePairRecord]:
    """Every pair the person was in, oldest round first."""
    rows = session.execute(_pairs().where(or_(PracticePair.seeker_id == person_id,
                                              PracticePair.offerer_id == person_id))
                           .order_by(PracticePair.round, PracticePair.id))
    return [_pair_record(row) for row in rows]


def met_kinds(session: Session, person_ids: Collection[int], weeks: Collection[str]) -> dict[int, dict[str, set[str]]]:
    """person id -> week -> the pairing kinds they said they practised (answered "yes") that week."""
    found: dict[int, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    week_list = list(weeks)
    for chunk in chunks(person_ids):
        for person_col, week_col in ((PracticePair.seeker_id, PracticePair.seeker_met_week),
                                     (PracticePair.offerer_id, PracticePair.offerer_met_week)):
            for person_id, week, kind in session.execute(select(person_col, week_col, PracticePair.kind).where(
                    person_col.in_(chunk), week_col.in_(week_list))):
                if week is not None:
                    found[person_id][week].add(kind)
    return {person: dict(weeks_found) for person, weeks_found in found.items()}


def rounds_left_out(session: Session, person_id: int) -> list[dict[str, object]]:
    """The rounds the person sought in and was left out of, oldest first (for the export)."""
    rows = session.scalars(select(PairingLeftOut).where(PairingLeftOut.person_id == person_id)
                           .order_by(PairingLeftOut.round))
    return [{"round": row.round, "kinds": list(row.kinds or ()), "waited": row.waited} for row in rows]
