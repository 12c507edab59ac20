"""Everything a person gave, given back: the App Home, ``/lead stats`` and the progress picture.

COACHING.md: "A person sees, in App Home and ``/lead stats``: a twelve-week trend per foundation
and the change since they started, learning minutes (with "I did it" logs), practice counts,
their wins (private ones too), goals (overdue ones flagged), and their last reflections. Once a
month, a picture of the same." Only the person ever sees these, so private wins and reflections
belong here. Windows and learning minutes follow ``bot/coaching/learning.py``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.coaching.foundations import FOUNDATIONS, PAIRING_PRACTICE, PRACTICES
from bot.coaching.learning import QUARTER_WEEKS, TREND_WEEKS, completed_weeks, last_weeks, trend_window, week_minutes
from bot.coaching.streaks import Streak
from bot.coaching.weeks import shift_week
from bot.services import timeoff as timeoff_service
from bot.services.checkins import streak_facts
from bot.services.context import BotContext
from bot.services.focus import current_focus
from bot.services.people import current_week, today
from bot.services.types.home import (
    ChartData,
    GoalLine,
    HomeData,
    ProgressPicture,
    ReflectionLine,
    StatsData,
    Trend,
    WinLine,
)
from bot.services.types.pairing import KudosLine
from bot.services.types.people import PersonRecord
from bot.store import kudos as kudos_store
from bot.store import pairing as pairing_store
from bot.store import people as people_store
from bot.store import progress as progress_store
from bot.store.records import CheckinRecord, ProgressHistory

STATS_WEEKS = 4  # completed weeks in /lead stats
PICTURE_MIN_CHECKINS = 2  # the monthly picture needs something to compare


@dataclass(frozen=True)
class _Loaded:
    week: str
    today: date
    history: ProgressHistory
    streak: Streak
    paused_until: date | None
    away_weeks: frozenset[str] = frozenset()  # weeks with 3+ away working days (time off)
    streak_waited: int = 0  # away weeks the streak stepped over since the previous check-in


def _load(ctx: BotContext, person: PersonRecord, week: str, since: str) -> _Loaded:
    local_today = today(ctx, person)
    with ctx.store.session() as session:
        history = progress_store.progress_history(session, person.id, since)
        facts = streak_facts(session, person, week)
        pause = people_store.active_pause(session, person.id, local_today)
    paused_until = pause.end if pause is not None and pause.start <= local_today and not pause.resumed else None
    return _Loaded(week, local_today, history, facts.streak, paused_until, facts.away_weeks, facts.waited)


def _minutes(history: ProgressHistory) -> dict[str, int]:
    """Learning minutes per week of the loaded weeks, by the one rule."""
    return week_minutes({c.week: c.learning_minutes for c in history.checkins}, history.logged.items())


def _practices(checkins: Iterable[CheckinRecord], weeks: Collection[str],
               met: Mapping[str, Collection[str]] | None = None) -> tuple[tuple[str, int], ...]:
    """(practice, weeks it was done) over ``weeks``, most first, ties in the check-in form's order.

    A week counts a practice when its check-in ticked it or a practice pair met that week (``met``:
    week -> pairing kinds); both at once still count once.
    """
    done: dict[str, set[str]] = {c.week: set(c.practices) for c in checkins if c.week in weeks}
    for week, kinds in (met or {}).items():
        if week in weeks:
            done.setdefault(week, set()).update(PAIRING_PRACTICE[k] for k in kinds if k in PAIRING_PRACTICE)
    counts = Counter(p for practices in done.values() for p in practices if p in PRACTICES)
    order = list(PRACTICES)
    return tuple(sorted(counts.items(), key=lambda item: (-item[1], order.index(item[0]))))


def _trends(history: ProgressHistory, weeks: tuple[str, ...]) -> tuple[Trend, ...]:
    if history.first is None:
        return ()
    by_week = {c.week: c.ratings for c in history.checkins}
    latest = history.latest.ratings if history.latest is not None else None
    return tuple(Trend(foundation=key, ratings=tuple(by_week[w][key] if w in by_week else None for w in weeks),
                       first=history.first.ratings.get(key), latest=latest.get(key) if latest else None)
                 for key in FOUNDATIONS)


def _kudos_received(ctx: BotContext, person: PersonRecord) -> tuple[KudosLine, ...]:
    with ctx.store.session() as session:
        rows = kudos_store.received(session, person.team_id, person.user_id, HOME_KUDOS)
    return tuple(KudosLine(giver=row.giver_user, text=row.text, week=row.week) for row in rows)


HOME_KUDOS = 5  # kudos received the App Home lists


def _met(ctx: BotContext, person: PersonRecord, weeks: Collection[str]) -> dict[str, set[str]]:
    """week -> the pairing kinds the person's practice pairs met for in ``weeks``."""
    with ctx.store.session() as session:
        return pairing_store.met_kinds(session, [person.id], weeks).get(person.id, {})


# the App Home ------------------------------------------------------------------------------------
def home_for(ctx: BotContext, person: PersonRecord) -> HomeData:
    """Everything the dashboard shows (bounded: a two-year history costs what a month does)."""
    week = current_week(ctx, person)
    quarter = last_weeks(week, QUARTER_WEEKS)
    loaded = _load(ctx, person, week, since=min(quarter[0], shift_week(week, -TREND_WEEKS)))
    history = loaded.history
    checked_in = any(c.week == week for c in history.checkins)
    window = trend_window(week, checked_in)
    minutes = _minutes(history)
    reflections = sorted(
        [(r.created_at, ReflectionLine(r.week, r.text)) for r in history.answers]
        + [(c.submitted_at, ReflectionLine(c.week, c.reflection or "")) for c in history.latest_reflections],
        key=lambda pair: pair[0], reverse=True)
    return HomeData(
        week=week, today=loaded.today, current_streak=loaded.streak.current, longest_streak=loaded.streak.longest,
        checked_in=checked_in, focus=current_focus(ctx, person).foundation, track=person.track,
        paused_until=loaded.paused_until,
        total_checkins=history.total_checkins, first_week=history.first.week if history.first else None,
        trend_weeks=window, trends=_trends(history, window), minutes=tuple(minutes.get(w, 0) for w in window),
        this_week_minutes=minutes.get(week, 0), practices=_practices(history.checkins, quarter,
                                                                      _met(ctx, person, quarter)),
        wins=tuple(WinLine(w.text, w.shared, w.week) for w in history.latest_wins), total_wins=history.total_wins,
        goals=tuple(GoalLine(id=g.id, title=g.title, foundation=g.foundation, progress=g.progress, due=g.due,
                             target=g.target, current=g.current) for g in history.goals),
        reflections=tuple(line for _, line in reflections[:3]), kudos=_kudos_received(ctx, person),
        away_weeks=loaded.away_weeks & set(window), streak_waited=loaded.streak_waited,
        away_today=timeoff_service.away_reason(ctx, person))


# /lead stats -------------------------------------------------------------------------------------
def stats_for(ctx: BotContext, person: PersonRecord) -> StatsData:
    """The last four completed weeks, and the current week apart."""
    week = current_week(ctx, person)
    weeks = completed_weeks(week, STATS_WEEKS)
    loaded = _load(ctx, person, week, since=weeks[0])
    history = loaded.history
    shown = set(weeks)
    wins = [w for w in history.wins if w.week in shown]
    return StatsData(
        current=loaded.streak.current, longest=loaded.streak.longest, week=week, today=loaded.today, weeks=weeks,
        ratings={c.week: c.ratings for c in history.checkins}, minutes=_minutes(history), logged=history.logged,
        practices=_practices(history.checkins, shown, _met(ctx, person, weeks)),
        wins=len(wins), shared_wins=sum(1 for w in wins if w.shared),
        this_week_wins=sum(1 for w in history.wins if w.week == week),
        checked_in=any(c.week == week for c in history.checkins), total_checkins=history.total_checkins,
        first=history.first.ratings if history.first else None, away_weeks=loaded.away_weeks & shown)


# the progress picture ----------------------------------------------------------------------------
def picture_for(ctx: BotContext, person: PersonRecord, week: str | None = None) -> ProgressPicture | None:
    """The picture of the trend window as of ``week`` (default: now); None with no check-in to draw."""
    week = week or current_week(ctx, person)
    loaded = _load(ctx, person, week, since=shift_week(week, -TREND_WEEKS))
    history = loaded.history
    window = trend_window(week, any(c.week == week for c in history.checkins))
    inside = [c for c in history.checkins if c.week in set(window)]
    if not inside:
        return None
    by_week = {c.week: c.ratings for c in inside}
    minutes = _minutes(history)
    chart = ChartData(weeks=window,
                      ratings={key: tuple(by_week[w][key] if w in by_week else None for w in window)
                               for key in FOUNDATIONS},
                      minutes=tuple(minutes.get(w, 0) for w in window), streak=loaded.streak.current,
                      longest=loaded.streak.longest, today=loaded.today)
    return ProgressPicture(user_id=person.user_id, chart=chart, checkins=len(inside))


def progress_picture(ctx: BotContext, person: PersonRecord, week: str, _team: Any = None) -> ProgressPicture | None:
    """The monthly picture (job ``progress-picture``): only with two check-ins or more to draw."""
    if not person.progress_picture:
        return None
    picture = picture_for(ctx, person, week)
    return picture if picture is not None and picture.checkins >= PICTURE_MIN_CHECKINS else None


def picture_wanted(ctx: BotContext, due: Collection[tuple[int, str]]) -> set[int]:
    """Among ``due`` (person id, week): who kept the picture on and has two check-ins in its weeks.

    Read in bulk for the whole sweep. The window is the one :func:`picture_for` draws, which ends
    with the due week only when that week already has a check-in.
    """
    if not due:
        return set()
    weeks = [week for _, week in due]
    first, last = shift_week(min(weeks), -TREND_WEEKS), max(weeks)
    ids = [person_id for person_id, _ in due]
    with ctx.store.session() as session:
        checked = progress_store.checkin_weeks_between(session, ids, first, last)
        off = progress_store.picture_off(session, ids)
    wanted = set()
    for person_id, week in due:
        done = checked.get(person_id, set())
        window = set(trend_window(week, week in done))
        if person_id not in off and len(done & window) >= PICTURE_MIN_CHECKINS:
            wanted.add(person_id)
    return wanted
