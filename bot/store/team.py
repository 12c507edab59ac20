"""Team-level queries: the aggregates behind ``/lead team`` (the workspace itself is in ``people``).

The aggregates only ever return counts and averages; no query here hands back a person's
answers. Lists of ids are queried in chunks so a big channel stays within every database's
limit on bound parameters.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.coaching.foundations import FOUNDATIONS
from bot.store.db import chunks
from bot.store.models import Checkin, Person, Win
from bot.store.records import RatingSummary


# aggregates ----------------------------------------------------------------------------------------
def known_people(session: Session, team_id: str, user_ids: Sequence[str]) -> list[int]:
    """Ids of the active people of ``team_id`` among ``user_ids`` (the bot knows them)."""
    found: list[int] = []
    for chunk in chunks(user_ids):
        found += session.scalars(select(Person.id).where(
            Person.team_id == team_id, Person.user_id.in_(chunk), Person.active.is_(True)))
    return sorted(found)


def checkins_per_week(session: Session, person_ids: Sequence[int], weeks: Sequence[str]) -> dict[str, int]:
    """How many of ``person_ids`` checked in, per week (a person checks in at most once a week)."""
    return _rows_per_week(session, Checkin, person_ids, weeks)


def rating_summary(session: Session, person_ids: Sequence[int], weeks: Sequence[str]) -> RatingSummary:
    """Average rating per foundation over the check-ins of ``person_ids`` in ``weeks``."""
    columns = [getattr(Checkin, f) for f in FOUNDATIONS]
    people = checkins = 0
    sums = dict.fromkeys(FOUNDATIONS, 0)
    for chunk in chunks(person_ids):
        row = session.execute(select(
            func.count(Checkin.person_id.distinct()), func.count(), *[func.coalesce(func.sum(c), 0) for c in columns]
        ).where(Checkin.person_id.in_(chunk), Checkin.week.in_(list(weeks)))).one()
        people += int(row[0])
        checkins += int(row[1])
        for foundation, total in zip(FOUNDATIONS, row[2:], strict=True):
            sums[foundation] += int(total)
    averages = {f: sums[f] / checkins for f in FOUNDATIONS} if checkins else {}
    return RatingSummary(people=people, checkins=checkins, averages=averages)


def wins_per_week(session: Session, person_ids: Sequence[int], weeks: Sequence[str]) -> dict[str, int]:
    """How many wins ``person_ids`` recorded, per week (shared or not: only the count leaves here)."""
    return _rows_per_week(session, Win, person_ids, weeks)


def _rows_per_week(session: Session, model: type[Checkin] | type[Win], person_ids: Sequence[int],
                   weeks: Sequence[str]) -> dict[str, int]:
    """How many rows of ``model`` (one with a person and a week) ``person_ids`` have in each of ``weeks``."""
    counts = dict.fromkeys(weeks, 0)
    for chunk in chunks(person_ids):
        rows = session.execute(select(model.week, func.count()).where(
            model.person_id.in_(chunk), model.week.in_(list(weeks))).group_by(model.week))
        for week, count in rows:
            counts[week] += int(count)
    return counts


def weekly_ratings(session: Session, person_ids: Sequence[int], weeks: Sequence[str]
                   ) -> dict[str, tuple[int, dict[str, float]]]:
    """Per week: how many of ``person_ids`` checked in, and their average rating per foundation."""
    columns = [getattr(Checkin, f) for f in FOUNDATIONS]
    people: dict[str, int] = dict.fromkeys(weeks, 0)
    sums: dict[str, dict[str, int]] = {week: dict.fromkeys(FOUNDATIONS, 0) for week in weeks}
    for chunk in chunks(person_ids):
        rows = session.execute(select(Checkin.week, func.count(), *[func.coalesce(func.sum(c), 0) for c in columns])
                               .where(Checkin.person_id.in_(chunk), Checkin.week.in_(list(weeks)))
                               .group_by(Checkin.week))
        for week, count, *totals in rows:
            people[week] += int(count)
            for foundation, total in zip(FOUNDATIONS, totals, strict=True):
                sums[week][foundation] += int(total)
    return {week: (people[week], {f: sums[week][f] / people[week] for f in FOUNDATIONS} if people[week] else {})
            for week in weeks}


def practices_per_week(session: Session, person_ids: Sequence[int], weeks: Sequence[str]
                       ) -> dict[str, dict[int, set[str]]]:
    """week -> person id -> the practices their check-in ticked; the caller keeps only counts."""
    found: dict[str, dict[int, set[str]]] = {week: {} for week in weeks}
    for chunk in chunks(person_ids):
        for person_id, week, practices in session.execute(select(Checkin.person_id, Checkin.week, Checkin.practices)
                                                          .where(Checkin.person_id.in_(chunk),
                                                                 Checkin.week.in_(list(weeks)))):
            found[week][person_id] = set(practices or ())
    return found
