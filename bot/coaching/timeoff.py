"""Time off: who is away on a day, by Slack status or public holiday, and when the team digest goes out.

Pure functions, no I/O; holiday dates come from the ``holidays`` package, never from a table here.

Away by status (``status_is_away``)
    A status is away when its emoji, or an emoji shortcode in its text, is one of the away emoji,
    or its text contains one of the away terms as whole words, ignoring case; an expired status
    (``status_expiration`` in the past; 0 never expires) is not away. The defaults are
    ``DEFAULT_AWAY_TERMS`` and ``DEFAULT_AWAY_EMOJI``; the admin's list adds to them.

Holiday calendar (``parse_calendar``)
    A country code as the ``holidays`` package knows it (``DE``, ``US``), optionally a hyphen and
    one of its regions (``US-CA``, ``DE-BY``), any case. Observed days count ("Independence Day
    (observed)" on a Friday is a day off too); only public holidays count, not optional ones.

Away day (``is_away_day``)
    A day is away when the person's status says so or it is a public holiday in their calendar:
    their own calendar when they set one, otherwise the workspace's. A person's calendar replaces
    the workspace's rather than adding to it, because someone in another country does not get
    the head office's holidays.

Team digest (``digest_day``)
    A digest due on a workspace holiday goes out on the last working day (Monday to Friday, not a
    holiday) before it in the same ISO week, and is skipped when there is none. A slot on a
    Saturday or Sunday keeps its day, holiday or not: the workspace chose it.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from functools import cache, lru_cache
from typing import Final

import holidays
from holidays import HolidayBase

from bot.coaching.schedule import DAYS, Slot, slot_date

# Away by status ------------------------------------------------------------------------------------

# Whole words or phrases, any case; a space in a phrase also matches a hyphen ("out-of-office").
# "sick" already covers "off sick", "out sick", "sick leave"; "holiday" covers "on holiday" and
# "bank holiday". Left out on purpose, because they say more often that someone is busy for an hour
# than away for the day: "away" alone, "afk", "lunch", "ill" (the typo for "I'll"), "travelling".
DEFAULT_AWAY_TERMS: Final[tuple[str, ...]] = (
    "vacation", "vacations", "vacationing", "vacay",
    "holiday", "holidays",
    "out of office", "out of the office", "ooo", "ooto",
    "pto",
    "sick", "unwell",
    "on leave", "annual leave", "parental leave", "maternity leave", "paternity leave", "medical leave",
    "family leave", "bereavement leave",
    "sabbatical",
    "day off", "days off", "off work",
    "away until", "away till", "out until", "out till", "off until", "off till",
)

# Slack emoji names, without colons. The first four are the contract's; the rest say the same thing.
DEFAULT_AWAY_EMOJI: Final[frozenset[str]] = frozenset({
    "palm_tree", "airplane", "face_with_thermometer", "beach_with_umbrella",
    "desert_island", "airplane_departure", "airplane_arriving",
    "face_with_head_bandage", "mask", "sneezing_face",
})

MAX_AWAY_TERM_LENGTH: Final = 40
MAX_AWAY_TERMS: Final = 50

_SEPARATORS = re.compile(r"[\s-]+")
_EMOJI_NAME = re.compile(r"^[a-z0-9_+'-]+$")
_SHORTCODE = re.compile(r":([a-z0-9_+'-]+)(?:::skin-tone-\d)?:", re.IGNORECASE)
_WORD = re.compile(r"\w")


def normalise_term(term: str) -> str:
    """``term`` as it is stored and matched: lower case, words separated by single spaces."""
    return " ".join(word for word in _SEPARATORS.split(term.strip().lower()) if word)


def normalise_emoji(name: str) -> str:
    """A Slack emoji name without colons or skin tone: ``:Palm_Tree:`` and ``palm_tree`` are the same."""
    return name.strip().lower().strip(":").split("::", 1)[0]


@lru_cache(maxsize=64)
def _away_pattern(extra_terms: tuple[str, ...]) -> re.Pattern[str]:
    # Built once per distinct admin list: a sweep asks about every person with the same list.
    phrases = sorted({normalise_term(term) for term in DEFAULT_AWAY_TERMS + extra_terms} - {""}, key=len, reverse=True)
    alternatives = "|".join(r"[\s-]+".join(re.escape(word) for word in phrase.split(" ")) for phrase in phrases)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def status_is_away(
    text: str | None,
    emoji: str | None,
    expiration: int | None,
    now: datetime,
    *,
    extra_terms: Iterable[str] = (),
    extra_emoji: Iterable[str] = (),
) -> bool:
    """Whether a Slack status says its owner is away at ``now`` (aware).

    Away when the emoji (or an emoji shortcode in the text) is an away emoji, or the text holds an
    away term as whole words in any case, and the status has not expired: ``expiration`` is Slack's
    ``status_expiration`` in epoch seconds, 0 (or None) for a status that never expires.
    """
    if expiration is not None and 0 < expiration <= now.timestamp():
        return False
    away_emoji = DEFAULT_AWAY_EMOJI | {normalise_emoji(name) for name in extra_emoji}
    if emoji and normalise_emoji(emoji) in away_emoji:
        return True
    if not text:
        return False
    if any(name.lower() in away_emoji for name in _SHORTCODE.findall(text)):
        return True
    return _away_pattern(tuple(sorted({normalise_term(term) for term in extra_terms}))).search(text) is not None


def parse_away_terms(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The admin's comma-separated away list as (terms, emoji); raises ValueError saying what to fix.

    An item in colons (``:palm_tree:``) is an emoji, anything else a term matched as whole words.
    Blank input is an empty list. Duplicates are dropped; order is kept.
    """
    if not text.strip():
        return (), ()
    items = [item.strip() for item in text.split(",")]
    if len(items) > MAX_AWAY_TERMS:
        raise ValueError(f"That is {len(items)} items; keep the list to {MAX_AWAY_TERMS}.")
    terms: list[str] = []
    emoji: list[str] = []
    for position, item in enumerate(items, start=1):
        if not item:
            raise ValueError(f"Item {position} is empty: remove the extra comma.")
        if len(item) > MAX_AWAY_TERM_LENGTH:
            raise ValueError(f"Item {position} is longer than {MAX_AWAY_TERM_LENGTH} characters.")
        if item.startswith(":"):
            name = normalise_emoji(item)
            if not (item.endswith(":") and len(item) > 2 and _EMOJI_NAME.match(name)):
                raise ValueError(f"Item {position} is not an emoji name like :palm_tree:.")
            if name not in emoji:
                emoji.append(name)
        else:
            term = normalise_term(item)
            if not _WORD.search(term):
                raise ValueError(f"Item {position} has no letters or digits: write a word such as vacation.")
            if term not in terms:
                terms.append(term)
    return tuple(terms), tuple(emoji)


def format_away_terms(terms: Iterable[str], emoji: Iterable[str]) -> str:
    """The admin's list as they would type it, for a form's initial value: ``parse_away_terms`` reads it back."""
    return ", ".join([*terms, *(f":{name}:" for name in emoji)])


# Public holidays ----------------------------------------------------------------------------------

MAX_CALENDAR_CODE_LENGTH: Final = 40
_REGIONS_LISTED: Final = 12


@dataclass(frozen=True)
class Calendar:
    """A public-holiday calendar: a country and optionally one of its regions, as ``holidays`` names them."""

    country: str  # e.g. "US"
    subdivision: str | None = None  # e.g. "CA"

    def __str__(self) -> str:
        """The code to store and show, e.g. ``US-CA``; ``parse_calendar`` reads it back."""
        return f"{self.country}-{self.subdivision}" if self.subdivision else self.country


@lru_cache(maxsize=1)
def _countries() -> tuple[frozenset[str], frozenset[str]]:
    supported = holidays.list_supported_countries(include_aliases=False)
    with_aliases = holidays.list_supported_countries(include_aliases=True)
    return frozenset(supported), frozenset(with_aliases) - frozenset(supported)


@cache
def _regions(country: str) -> tuple[tuple[str, ...], dict[str, str]]:
    """The region codes of ``country``, and every code and name (folded) mapped to its code."""
    entity = holidays.country_holidays(country)
    lookup: dict[str, str] = {}
    for name, code in entity.subdivisions_aliases.items():
        lookup.setdefault(name.casefold(), code)
    for code in entity.subdivisions:
        lookup[code.casefold()] = code  # a code wins over a name spelled the same
    return tuple(entity.subdivisions), lookup


def parse_calendar(code: str) -> Calendar:
    """``"us-ca"`` → ``Calendar("US", "CA")``; raises ValueError naming what is wrong otherwise.

    The country is a code the ``holidays`` package supports (two letters such as ``DE``; its
    aliases such as ``UK`` or ``DEU`` are read as the two-letter code). The optional region after
    the first hyphen is one of that country's region codes or names (``DE-BY``, ``DE-Bayern``).
    The messages quote the input: escape them before rendering as mrkdwn.
    """
    text = code.strip()
    if not text:
        raise ValueError("Enter a country code such as DE or US, optionally with a region such as US-CA.")
    if len(text) > MAX_CALENDAR_CODE_LENGTH:
        raise ValueError("That is too long for a holiday calendar: enter a code such as DE or US-CA.")
    country_text, hyphen, region_text = (part.strip() for part in text.partition("-"))
    if not country_text:
        raise ValueError("Start with a country code such as US, as in US-CA.")
    supported, aliases = _countries()
    upper = country_text.upper()
    if upper in supported:
        country = upper
    elif upper in aliases:
        country = holidays.country_holidays(upper).country
    else:
        raise ValueError(
            f"{country_text} is not a country code the holiday calendar knows: "
            "use two letters such as DE, GB or US."
        )
    if not hyphen:
        return Calendar(country)
    codes, lookup = _regions(country)
    if not codes:
        raise ValueError(f"The holiday calendar has no regions for {country}: enter {country} alone.")
    if not region_text:
        raise ValueError(f"Enter a region after the hyphen, such as {country}-{codes[0]}, or {country} alone.")
    region = lookup.get(region_text.casefold())
    if region is None:
        listed = ", ".join(codes[:_REGIONS_LISTED])
        more = f", … ({len(codes)} in all)" if len(codes) > _REGIONS_LISTED else ""
        raise ValueError(f"{country} has no region {region_text}: use one of {listed}{more}.")
    return Calendar(country, region)


@lru_cache(maxsize=512)
def _holidays(country: str, subdivision: str | None, year: int) -> HolidayBase | None:
    # Building a year of holidays runs the package's rules; a sweep asks about thousands of
    # people sharing a few calendars. expand=False keeps the cached object read-only: a lookup
    # in another year would otherwise add that year to it behind the cache's back.
    try:
        return holidays.country_holidays(country, subdiv=subdivision, years=year, expand=False)
    except NotImplementedError:
        # A stored calendar a newer package no longer knows gives no holidays rather than
        # stopping everyone's schedule.
        return None


def holiday_name(calendar: Calendar | None, day: date) -> str | None:
    """The name of the public holiday on ``day`` in ``calendar`` ("A; B" when two fall together), or None."""
    if calendar is None:
        return None
    days = _holidays(calendar.country, calendar.subdivision, day.year)
    return None if days is None else days.get(day)


def is_holiday(calendar: Calendar | None, day: date) -> bool:
    """Whether ``day`` is a public holiday in ``calendar``; never with no calendar."""
    return holiday_name(calendar, day) is not None


# Away days and working days ------------------------------------------------------------------------

def effective_calendar(personal_calendar: Calendar | None, workspace_calendar: Calendar | None) -> Calendar | None:
    """The calendar whose holidays a person gets: their own when set, otherwise the workspace's."""
    return personal_calendar if personal_calendar is not None else workspace_calendar


def is_away_day(
    day: date, *, status_away: bool, personal_calendar: Calendar | None, workspace_calendar: Calendar | None
) -> bool:
    """Whether a person is away on ``day``: their status says so, or it is a holiday in their calendar.

    Their calendar is their own when set, otherwise the workspace's (see ``effective_calendar``).
    Weekends are not special here; only the streak rule looks at weekdays.
    """
    return status_away or is_holiday(effective_calendar(personal_calendar, workspace_calendar), day)


def away_days_between(
    start: date,
    end: date,
    *,
    status_away_days: Collection[date] = (),
    personal_calendar: Calendar | None = None,
    workspace_calendar: Calendar | None = None,
) -> list[date]:
    """The away days from ``start`` to ``end`` inclusive, oldest first.

    A day is away when it is in ``status_away_days`` (the days a status was recorded as away) or a
    holiday in the person's calendar, by ``is_away_day``.
    """
    if effective_calendar(personal_calendar, workspace_calendar) is None:
        # No holidays to look up: only the status days count (the common case, and it is on every
        # nudge's path, so it must not walk the person's whole history day by day).
        return sorted(day for day in set(status_away_days) if start <= day <= end)
    days = []
    day = start
    while day <= end:
        if is_away_day(day, status_away=day in status_away_days, personal_calendar=personal_calendar,
                       workspace_calendar=workspace_calendar):
            days.append(day)
        day += timedelta(days=1)
    return days


def is_working_day(day: date, calendar: Calendar | None) -> bool:
    """Monday to Friday and not a public holiday in ``calendar``."""
    return day.isoweekday() <= 5 and not is_holiday(calendar, day)


def digest_day(slot_day: date, calendar: Calendar | None) -> date | None:
    """The day the team digest due on ``slot_day`` goes out, or None when it is skipped that week.

    On a working day, that day; on a workspace holiday, the last working day before it in the same
    ISO week, or None when there is none. A Saturday or Sunday slot keeps its day.
    """
    if slot_day.isoweekday() > 5:
        return slot_day
    monday = slot_day - timedelta(days=slot_day.weekday())
    day = slot_day
    while day >= monday:
        if is_working_day(day, calendar):
            return day
        day -= timedelta(days=1)
    return None


# The sweep's question ------------------------------------------------------------------------------

@lru_cache(maxsize=256)
def stored_calendar(code: str | None) -> Calendar | None:
    """The calendar a stored code names, or None for no code or one the package no longer knows.

    Stored codes were validated when saved; a package upgrade that drops one must not stop the
    schedule, so it reads as "no calendar" rather than raising.
    """
    if not code:
        return None
    try:
        return parse_calendar(code)
    except ValueError:
        return None


@lru_cache(maxsize=64)
def stored_away_terms(text: str | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The admin's stored away list as (terms, emoji); empty for none or one that no longer parses."""
    try:
        return parse_away_terms(text or "")
    except ValueError:
        return (), ()


@dataclass(frozen=True)
class AwayCheck:
    """What deciding "away today?" needs about one person, all of it already stored (no Slack call)."""

    status_text: str | None
    status_emoji: str | None
    status_expiration: int | None
    detection: bool  # False: the person turned status-based detection off
    personal_calendar: str | None  # stored calendar codes, e.g. "DE-BY"
    workspace_calendar: str | None
    away_terms: str | None = None  # the admin's additions, as stored


class AwayReason:
    STATUS = "status"
    HOLIDAY = "holiday"


def away_today(check: AwayCheck, now: datetime, local_day: date) -> str | None:
    """Why nothing personal goes to the person at ``now`` (their local date ``local_day``), or None.

    ``AwayReason.HOLIDAY`` on a public holiday in their calendar (their own, else the
    workspace's); ``AwayReason.STATUS`` while detection is on and their stored status says away
    and has not expired. The status is judged at ``now``, not for the whole day: a status cleared
    or expired at noon brings the person back for the rest of that day's catch-up window.
    """
    calendar = effective_calendar(stored_calendar(check.personal_calendar), stored_calendar(check.workspace_calendar))
    if is_holiday(calendar, local_day):
        return AwayReason.HOLIDAY
    if check.detection:
        terms, emoji = stored_away_terms(check.away_terms)
        if status_is_away(check.status_text, check.status_emoji, check.status_expiration, now,
                          extra_terms=terms, extra_emoji=emoji):
            return AwayReason.STATUS
    return None


def period_days(periods: Iterable[tuple[datetime, datetime | None]], now: datetime, tz: tzinfo) -> set[date]:
    """The local dates (in ``tz``) touched by any of the away ``periods``, up to ``now``.

    A period is (start, end) with ``end`` exclusive; None (or a time after ``now``) ends at ``now``.
    A period that ends exactly at midnight does not touch the next day.
    """
    days: set[date] = set()
    for start, end in periods:
        stop = now if end is None or end > now else end
        if stop <= start:
            if start <= now and end is None:
                days.add(start.astimezone(tz).date())
            continue
        day = start.astimezone(tz).date()
        last = (stop - timedelta(microseconds=1)).astimezone(tz).date()
        while day <= last:
            days.add(day)
            day += timedelta(days=1)
    return days


def digest_slot(slot: Slot, week: str, calendar: Calendar | None) -> Slot | None:
    """The team digest's slot in ``week`` after the holiday rule (``digest_day``): None when skipped.

    The time of day stays; only the day moves back to the last working day before the holiday.
    """
    day = digest_day(slot_date(slot, week), calendar)
    if day is None:
        return None
    return Slot(DAYS[day.weekday()], slot.at)
