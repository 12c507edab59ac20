"""Time-off rules, pure: away by Slack status, holiday calendars, away days and the digest day."""

from __future__ import annotations

import string
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bot.coaching.schedule import Slot
from bot.coaching.streaks import Streak, away_weeks, compute_streak, paused_weeks
from bot.coaching.timeoff import (
    DEFAULT_AWAY_EMOJI,
    DEFAULT_AWAY_TERMS,
    MAX_AWAY_TERM_LENGTH,
    MAX_AWAY_TERMS,
    AwayCheck,
    AwayReason,
    Calendar,
    away_days_between,
    away_today,
    digest_day,
    digest_slot,
    effective_calendar,
    format_away_terms,
    holiday_name,
    is_away_day,
    is_holiday,
    is_working_day,
    normalise_emoji,
    parse_away_terms,
    parse_calendar,
    period_days,
    status_is_away,
    stored_calendar,
)
from bot.coaching.weeks import iso_week

NOW = datetime(2026, 12, 21, 9, 30, tzinfo=UTC)


def away(text: str = "", emoji: str = "", expiration: int = 0, **extra: tuple[str, ...]) -> bool:
    return status_is_away(text, emoji, expiration, NOW, **extra)


# Away by status ------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    # The contract's examples.
    "Vacationing", "Out of office", "Sick",
    # What people type.
    "OOO", "ooo until Monday", "OOO - back 4 Jan", "on vacation", "Vacation!", "holiday", "Holidays 🎄", "On holiday",
    "Bank holiday", "On leave", "on parental leave", "Annual leave until the 5th", "maternity leave", "PTO",
    "pto today", "Off sick", "out sick", "Sick day", "away until 3 January", "Away till Tuesday",
    "Out until Monday", "Out-of-office", "out of the office", "Day off", "Sabbatical", "feeling unwell",
    "brb :palm_tree:", "Back on the 4th :airplane:",
])
def test_away_texts(text: str) -> None:
    assert away(text)


@pytest.mark.parametrize("text", [
    "", "Booooked", "sickle", "holidayinn", "Vacationer", "In a meeting", "Commuting", "Working remotely", "Lunch",
    "afk", "I'll be back", "Focus time", "leave me a note", "away", "Back at 10:00:", "ooops", "Pretty cool",
    "leaving early", "OOOPS", "homesick for the office", ":palm_tree_sapling:",
])
def test_texts_that_are_not_away(text: str) -> None:
    assert not away(text)


@pytest.mark.parametrize("emoji", [
    ":palm_tree:", ":airplane:", ":face_with_thermometer:", ":beach_with_umbrella:", "palm_tree", ":Palm_Tree:",
    " :airplane: ", ":face_with_head_bandage::skin-tone-3:",
])
def test_away_emoji(emoji: str) -> None:
    assert away(emoji=emoji)
    assert away("In a meeting", emoji)  # the emoji alone is enough


@pytest.mark.parametrize("emoji", ["", ":spiral_calendar_pad:", ":bus:", ":house_with_garden:", ":palm:", "tree"])
def test_emoji_that_are_not_away(emoji: str) -> None:
    assert not away(emoji=emoji)


def test_contract_emoji_are_defaults() -> None:
    assert {"palm_tree", "airplane", "face_with_thermometer", "beach_with_umbrella"} <= DEFAULT_AWAY_EMOJI


def test_none_fields_are_empty() -> None:
    assert not status_is_away(None, None, None, NOW)
    assert status_is_away("OOO", None, None, NOW)


def test_expiry() -> None:
    now = int(NOW.timestamp())
    assert away("Vacationing", ":palm_tree:", 0)  # never expires
    assert away("Vacationing", ":palm_tree:", now + 1)
    assert not away("Vacationing", ":palm_tree:", now)  # Slack clears it at that second
    assert not away("Vacationing", ":palm_tree:", now - 3600)
    assert not away("In a meeting", "", now + 3600)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30), st.sampled_from(["", ":palm_tree:", ":bus:"]), st.integers(-10**10, 10**10))
def test_an_expired_status_is_never_away_and_a_live_one_is_judged_by_its_content(
    text: str, emoji: str, expiration: int
) -> None:
    result = away(text, emoji, expiration)
    if 0 < expiration <= NOW.timestamp():
        assert not result
    else:
        assert result == away(text, emoji, 0)


letters = st.text(alphabet=string.ascii_letters, min_size=1, max_size=4)
words = st.text(alphabet=string.ascii_lowercase + " ,.!", max_size=12)


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(DEFAULT_AWAY_TERMS), words, words, st.lists(st.booleans(), min_size=40, max_size=40))
def test_every_term_matches_as_a_whole_word_in_any_case(term: str, before: str, after: str, upper: list[bool]) -> None:
    cased = "".join(ch.upper() if flip else ch for ch, flip in zip(term, upper, strict=False))
    assert away(f"{before} {cased} {after}")
    assert away(f"{before}({cased}){after}")
    assert away(f"{before} {cased.replace(' ', '-')} {after}")


SINGLE_WORD_TERMS = {term for term in DEFAULT_AWAY_TERMS if " " not in term}


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(DEFAULT_AWAY_TERMS), letters, letters)
def test_no_term_matches_inside_a_longer_word(term: str, before: str, after: str) -> None:
    glued = before + term + after
    # Unless the glued word happens to be a term itself ("vacation" + "s").
    assume(not any(piece in SINGLE_WORD_TERMS for piece in glued.lower().split(" ")))
    assert not away(glued)


def test_admin_terms_and_emoji_extend_the_defaults() -> None:
    terms, emoji = parse_away_terms("Urlaub, congés, :my-vacation:, palm_reading")
    assert terms == ("urlaub", "congés", "palm_reading")
    assert emoji == ("my-vacation",)
    assert not away("Urlaub bis Montag")
    assert away("Urlaub bis Montag", extra_terms=terms)
    assert away("En CONGÉS", extra_terms=terms)
    assert not away("Urlauber", extra_terms=terms)
    assert away(emoji=":my-vacation:", extra_emoji=emoji)
    assert away(emoji=":my-vacation:", extra_emoji=[":my-vacation:"])  # colons or not, the same emoji
    assert away("Back soon :my-vacation:", extra_emoji=emoji)
    assert not away(emoji=":my-vacation:")
    # The defaults stay on.
    assert away("OOO", extra_terms=terms, extra_emoji=emoji)
    # Admin phrases match across spaces and hyphens like the defaults do.
    assert away("working from the beach", extra_terms=parse_away_terms("from-the beach")[0])


@pytest.mark.parametrize(("text", "expected"), [
    ("", ((), ())),
    ("   ", ((), ())),
    ("OOO", (("ooo",), ())),
    ("  Out  Of   Office ,:Palm_Tree:, ooo, OOO, :palm_tree:", (("out of office", "ooo"), ("palm_tree",))),
    (":thumbsup::skin-tone-2:", ((), ("thumbsup",))),
    ("out-of-office", (("out of office",), ())),
])
def test_parse_away_terms(text: str, expected: tuple[tuple[str, ...], tuple[str, ...]]) -> None:
    assert parse_away_terms(text) == expected


@pytest.mark.parametrize(("text", "message"), [
    ("ooo,,vacation", "Item 2 is empty"),
    ("ooo,", "Item 2 is empty"),
    (",ooo", "Item 1 is empty"),
    ("ooo, " + "x" * (MAX_AWAY_TERM_LENGTH + 1), f"longer than {MAX_AWAY_TERM_LENGTH}"),
    ("!!!", "no letters or digits"),
    (":x", "not an emoji name"),
    ("::", "not an emoji name"),
    (":two words:", "not an emoji name"),
    (",".join(f"t{n}" for n in range(MAX_AWAY_TERMS + 1)), f"keep the list to {MAX_AWAY_TERMS}"),
])
def test_parse_away_terms_rejects_nonsense(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_away_terms(text)


term_items = st.text(alphabet=string.ascii_letters + " -'", min_size=1, max_size=MAX_AWAY_TERM_LENGTH).filter(
    lambda item: any(ch.isalpha() for ch in item))
emoji_items = st.text(alphabet=string.ascii_lowercase + "_-+", min_size=1, max_size=20).map(lambda name: f":{name}:")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(term_items, emoji_items), min_size=1, max_size=MAX_AWAY_TERMS))
def test_parse_away_terms_round_trips(items: list[str]) -> None:
    terms, emoji = parse_away_terms(",".join(items))
    assert len(terms) + len(emoji) <= len(items)
    assert parse_away_terms(format_away_terms(terms, emoji)) == (terms, emoji)
    # Every admin term and emoji it read makes a status away.
    for term in terms:
        assert away(f"today: {term}.", extra_terms=terms)
    for name in emoji:
        assert away(emoji=f":{name}:", extra_emoji=emoji)


def test_normalise_emoji() -> None:
    assert normalise_emoji(":Palm_Tree:") == normalise_emoji("palm_tree") == "palm_tree"
    assert normalise_emoji(":wave::skin-tone-4:") == "wave"


# Holiday calendars ---------------------------------------------------------------------------------

def test_christmas_in_germany() -> None:
    de = parse_calendar("DE")
    assert is_holiday(de, date(2026, 12, 25))
    assert holiday_name(de, date(2026, 12, 25)) == "Christmas Day"
    assert not is_holiday(de, date(2026, 12, 28))
    assert holiday_name(de, date(2026, 12, 28)) is None
    assert not is_holiday(None, date(2026, 12, 25))
    assert holiday_name(None, date(2026, 12, 25)) is None


def test_a_region_has_its_own_holidays() -> None:
    california = parse_calendar("US-CA")
    assert california == Calendar("US", "CA")
    assert str(california) == "US-CA"
    # Cesar Chavez Day is a state holiday in California only.
    assert is_holiday(california, date(2026, 3, 31))
    assert not is_holiday(parse_calendar("US"), date(2026, 3, 31))
    # Epiphany is a holiday in Bavaria, not in Berlin.
    assert is_holiday(parse_calendar("DE-BY"), date(2026, 1, 6))
    assert not is_holiday(parse_calendar("DE-BE"), date(2026, 1, 6))


@pytest.mark.parametrize(("code", "expected"), [
    ("DE", Calendar("DE")),
    ("de", Calendar("DE")),
    ("  us-ca ", Calendar("US", "CA")),
    ("De-By", Calendar("DE", "BY")),
    ("DE-Bayern", Calendar("DE", "BY")),  # a region's name works as well as its code
    ("DE - BY", Calendar("DE", "BY")),
    ("UK", Calendar("GB")),  # the package's aliases are stored as the two-letter code
    ("DEU-BY", Calendar("DE", "BY")),
    ("GB-SCT", Calendar("GB", "SCT")),
])
def test_parse_calendar(code: str, expected: Calendar) -> None:
    assert parse_calendar(code) == expected


@pytest.mark.parametrize(("code", "message"), [
    ("", "Enter a country code such as DE or US"),
    ("   ", "Enter a country code such as DE or US"),
    ("XX", "XX is not a country code the holiday calendar knows"),
    ("Germany", "Germany is not a country code"),
    ("US-ZZ", "US has no region ZZ: use one of AK, AL, .*CA.*\\(57 in all\\)"),
    ("DE-XY", "DE has no region XY: use one of BB, BE, BW, BY"),
    ("JP-13", "no regions for JP: enter JP alone"),
    ("US-", "Enter a region after the hyphen, such as US-"),
    ("-CA", "Start with a country code"),
    ("US-" + "C" * 40, "too long"),
])
def test_parse_calendar_explains_what_is_wrong(code: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_calendar(code)


def test_every_supported_calendar_round_trips() -> None:
    for country, regions in holidays.list_supported_countries(include_aliases=False).items():
        assert parse_calendar(country) == Calendar(country)
        assert parse_calendar(country.lower()) == Calendar(country)
        for region in regions:
            calendar = Calendar(country, region)
            assert parse_calendar(str(calendar)) == calendar
            assert parse_calendar(str(calendar).lower()) == calendar


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["DE", "DE-BY", "US", "US-CA", "GB-SCT", "FR", "JP", "RU", "AZ"]),
       st.dates(date(2015, 1, 1), date(2035, 12, 31)))
def test_holidays_come_from_the_package(code: str, day: date) -> None:
    calendar = parse_calendar(code)
    # Asked in any order and across years, the cached calendars keep giving the package's answer.
    holiday_name(calendar, day + timedelta(days=400))
    holiday_name(calendar, day - timedelta(days=400))
    reference = holidays.country_holidays(calendar.country, subdiv=calendar.subdivision, years=day.year)
    assert holiday_name(calendar, day) == reference.get(day)
    assert is_holiday(calendar, day) == (day in reference)


def test_observed_days_count() -> None:
    # 4 July 2026 is a Saturday; the federal holiday is observed on Friday 3 July.
    assert holiday_name(parse_calendar("US"), date(2026, 7, 3)) == "Independence Day (observed)"


def test_a_calendar_the_package_no_longer_knows_has_no_holidays() -> None:
    # A stored value can outlive the package's support for it; the schedule must keep running.
    assert not is_holiday(Calendar("ZZ"), date(2026, 12, 25))
    assert not is_holiday(Calendar("US", "ZZ"), date(2026, 12, 25))


# Away days -----------------------------------------------------------------------------------------

DE, US = Calendar("DE"), Calendar("US")


def test_a_persons_calendar_replaces_the_workspaces() -> None:
    unity_day = date(2026, 10, 3)  # German Unity Day, a Saturday in 2026; 2025's is a Friday
    unity_day_2025 = date(2025, 10, 3)
    independence_2025 = date(2025, 7, 4)  # a Friday
    assert effective_calendar(None, DE) == DE
    assert effective_calendar(US, DE) == US
    assert effective_calendar(None, None) is None
    assert is_away_day(unity_day_2025, status_away=False, personal_calendar=None, workspace_calendar=DE)
    assert not is_away_day(unity_day_2025, status_away=False, personal_calendar=US, workspace_calendar=DE)
    assert is_away_day(independence_2025, status_away=False, personal_calendar=US, workspace_calendar=DE)
    assert not is_away_day(independence_2025, status_away=False, personal_calendar=None, workspace_calendar=DE)
    # A holiday on a weekend is still an away day; only the streak rule looks at weekdays.
    assert is_away_day(unity_day, status_away=False, personal_calendar=None, workspace_calendar=DE)
    # The status alone is enough, with or without calendars.
    assert is_away_day(date(2026, 12, 28), status_away=True, personal_calendar=None, workspace_calendar=None)
    assert not is_away_day(date(2026, 12, 28), status_away=False, personal_calendar=None, workspace_calendar=None)


@settings(max_examples=200, deadline=None)
@given(st.dates(date(2020, 1, 1), date(2030, 12, 31)), st.booleans(),
       st.sampled_from([None, DE, US, Calendar("US", "CA")]), st.sampled_from([None, DE, US]))
def test_away_day_rule(day: date, status: bool, personal: Calendar | None, workspace: Calendar | None) -> None:
    calendar = personal if personal is not None else workspace
    expected = status or (calendar is not None and
                          day in holidays.country_holidays(calendar.country, subdiv=calendar.subdivision,
                                                           years=day.year))
    assert is_away_day(day, status_away=status, personal_calendar=personal, workspace_calendar=workspace) == expected


def test_away_days_over_new_year_make_an_away_week() -> None:
    # Away by status on Monday 28 and Tuesday 29 Dec 2026; New Year's Day is a holiday in DE.
    status_days = {date(2026, 12, 28), date(2026, 12, 29)}
    days = away_days_between(date(2026, 12, 21), date(2027, 1, 10), status_away_days=status_days,
                             workspace_calendar=DE)
    assert days == [date(2026, 12, 25), date(2026, 12, 26), date(2026, 12, 28), date(2026, 12, 29), date(2027, 1, 1)]
    assert away_weeks(days) == {"2026-W53"}
    # Without the holiday two status days are not enough.
    assert away_weeks(away_days_between(date(2026, 12, 21), date(2027, 1, 10), status_away_days=status_days)) == set()
    # A person who follows the US calendar gets 25 Dec and 1 Jan, but not the German 26 Dec.
    us_days = away_days_between(date(2026, 12, 21), date(2027, 1, 10), status_away_days=status_days,
                                personal_calendar=US, workspace_calendar=DE)
    assert date(2026, 12, 26) not in us_days
    assert date(2027, 1, 1) in us_days
    assert away_days_between(date(2027, 1, 10), date(2026, 12, 21), workspace_calendar=DE) == []


def test_a_holiday_week_inside_a_pause_from_real_calendars() -> None:
    # Russia's New Year holidays cover Monday 2 to Friday 6 January 2023: a whole away week.
    ru = parse_calendar("RU")
    days = away_days_between(date(2022, 12, 26), date(2023, 1, 15), workspace_calendar=ru)
    assert away_weeks(days) == {"2023-W01"}
    weeks = ["2022-W50", "2022-W51", "2022-W52", "2023-W02"]
    assert compute_streak(weeks, set(), "2023-W02", away_weeks=away_weeks(days)) == Streak(4, 4, bridged_away=1)
    # Paused for that week as /lead pause does after a check-in: from the next Monday.
    pause = paused_weeks([(date(2023, 1, 2), date(2023, 1, 8))])
    assert compute_streak(weeks, pause, "2023-W02", away_weeks=away_weeks(days)) == Streak(4, 4, bridged_away=0)


# The team digest -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("slot_day", "code", "expected"), [
    (date(2026, 4, 3), "DE", date(2026, 4, 2)),  # Good Friday: Thursday instead
    (date(2026, 4, 2), "DE", date(2026, 4, 2)),  # an ordinary Thursday
    (date(2026, 4, 6), "DE", None),  # Easter Monday: nothing earlier in the week
    (date(2026, 4, 7), "DE", date(2026, 4, 7)),
    # Christmas and New Year in Germany: 2026 has a week 53, so 1 Jan 2027 falls in 2026-W53.
    (date(2026, 12, 25), "DE", date(2026, 12, 24)),
    (date(2027, 1, 1), "DE", date(2026, 12, 31)),
    (date(2020, 12, 25), "DE", date(2020, 12, 24)),
    (date(2021, 1, 1), "DE", date(2020, 12, 31)),  # 2020-W53
    (date(2025, 12, 26), "DE", date(2025, 12, 24)),  # Thursday 25 and Friday 26 Dec 2025
    (date(2026, 12, 26), "DE", date(2026, 12, 26)),  # a Saturday slot keeps its day, holiday or not
    (date(2026, 12, 27), "DE", date(2026, 12, 27)),
    # Whole weeks of holidays: the digest is skipped.
    (date(2023, 1, 6), "RU", None),
    (date(2023, 1, 4), "RU", None),
    (date(2025, 1, 3), "AZ", None),  # 2025-W01 runs from Monday 30 Dec 2024 and is all holidays in Azerbaijan
    (date(2026, 2, 20), "CN", None),  # Spring Festival
    (date(2026, 4, 3), None, date(2026, 4, 3)),  # no calendar, no change
])
def test_digest_day(slot_day: date, code: str | None, expected: date | None) -> None:
    calendar = parse_calendar(code) if code else None
    assert digest_day(slot_day, calendar) == expected


@settings(max_examples=400, deadline=None)
@given(st.dates(date(2015, 1, 1), date(2035, 12, 31)),
       st.sampled_from([None, "DE", "DE-BY", "US-CA", "RU", "CN", "AZ", "GB-SCT", "JP"]))
def test_digest_day_matches_a_brute_force_rule(slot_day: date, code: str | None) -> None:
    calendar = parse_calendar(code) if code else None
    result = digest_day(slot_day, calendar)
    if slot_day.isoweekday() > 5:
        assert result == slot_day
        return
    holiday_set = (holidays.country_holidays(calendar.country, subdiv=calendar.subdivision,
                                             years={slot_day.year - 1, slot_day.year, slot_day.year + 1})
                   if calendar else {})
    same_week_before = [slot_day - timedelta(days=n) for n in range(slot_day.isoweekday())]
    working = [day for day in same_week_before if day not in holiday_set]
    assert result == (max(working) if working else None)
    if result is not None:
        assert iso_week(result) == iso_week(slot_day)
        assert is_working_day(result, calendar)


# The sweep's question, the digest slot, away stretches ------------------------------------------

def check(text: str | None = None, emoji: str | None = None, expiration: int | None = None, *,
          detection: bool = True, personal: str | None = None, workspace: str | None = None,
          terms: str | None = None) -> AwayCheck:
    return AwayCheck(text, emoji, expiration, detection, personal, workspace, terms)


def test_away_today_by_status_holiday_and_neither() -> None:
    monday = NOW.date()  # 21 Dec 2026
    assert away_today(check("Vacationing"), NOW, monday) == AwayReason.STATUS
    assert away_today(check(None, ":palm_tree:"), NOW, monday) == AwayReason.STATUS
    assert away_today(check("Vacationing", detection=False), NOW, monday) is None
    assert away_today(check("Vacationing", expiration=int(NOW.timestamp())), NOW, monday) is None  # just expired
    assert away_today(check("Vacationing", expiration=int(NOW.timestamp()) + 1), NOW, monday) == AwayReason.STATUS
    assert away_today(check("Elternzeit"), NOW, monday) is None
    assert away_today(check("Elternzeit", terms="elternzeit"), NOW, monday) == AwayReason.STATUS
    christmas = date(2026, 12, 25)
    assert away_today(check(workspace="DE"), NOW, christmas) == AwayReason.HOLIDAY
    assert away_today(check(workspace="DE", detection=False), NOW, christmas) == AwayReason.HOLIDAY
    assert away_today(check(personal="CN", workspace="DE"), NOW, christmas) is None  # theirs replaces it
    assert away_today(check(workspace="no-such-place"), NOW, christmas) is None  # a stale code is no calendar
    assert away_today(check(terms=", ,"), NOW, monday) is None  # a stale list is no list


@settings(max_examples=300, deadline=None)
@given(st.sampled_from([None, "Vacationing", "In a meeting", "Out sick", "ooo until 3rd"]),
       st.sampled_from([None, ":palm_tree:", ":calendar:"]),
       st.sampled_from([None, 0, -3600, 3600]),
       st.booleans(),
       st.sampled_from([None, "DE", "US-CA"]),
       st.sampled_from([None, "DE", "GB"]),
       st.dates(date(2025, 1, 1), date(2027, 12, 31)))
def test_away_today_is_status_or_holiday(text: str | None, emoji: str | None, offset: int | None, detection: bool,
                                        personal: str | None, workspace: str | None, day: date) -> None:
    expiration = None if offset is None else (0 if offset == 0 else int(NOW.timestamp()) + offset)
    reason = away_today(check(text, emoji, expiration, detection=detection, personal=personal,
                              workspace=workspace), NOW, day)
    holiday = is_holiday(effective_calendar(stored_calendar(personal), stored_calendar(workspace)), day)
    status = detection and status_is_away(text, emoji, expiration, NOW)
    assert reason == (AwayReason.HOLIDAY if holiday else AwayReason.STATUS if status else None)


@pytest.mark.parametrize(("slot", "week", "code", "expected"), [
    (Slot("fri", time(16)), "2026-W52", "DE", Slot("thu", time(16))),  # Christmas Day on a Friday
    (Slot("fri", time(16)), "2026-W49", "DE", Slot("fri", time(16))),  # an ordinary week
    (Slot("fri", time(16)), "2025-W52", "DE", Slot("wed", time(16))),  # Thursday 25 and Friday 26 Dec 2025
    (Slot("fri", time(9, 30)), "2023-W01", "RU", None),  # a whole week of holidays: skipped
    (Slot("sat", time(16)), "2026-W52", "DE", Slot("sat", time(16))),  # a weekend slot keeps its day
])
def test_digest_slot(slot: Slot, week: str, code: str, expected: Slot | None) -> None:
    assert digest_slot(slot, week, parse_calendar(code)) == expected


BERLIN = ZoneInfo("Europe/Berlin")


def test_period_days_in_the_persons_zone() -> None:
    now = datetime(2026, 12, 31, 12, tzinfo=UTC)
    start = datetime(2026, 12, 23, 22, 30, tzinfo=UTC)  # 23:30 on the 23rd in Berlin
    end = datetime(2026, 12, 26, 23, 0, tzinfo=UTC)  # exactly midnight into the 27th in Berlin
    assert period_days([(start, end)], now, BERLIN) == {date(2026, 12, d) for d in (23, 24, 25, 26)}
    assert period_days([(start, end)], now, ZoneInfo("UTC")) == {date(2026, 12, d) for d in (23, 24, 25, 26)}
    # Still running: up to now, never beyond.
    assert period_days([(start, None)], datetime(2026, 12, 25, 8, tzinfo=UTC), BERLIN) == {
        date(2026, 12, d) for d in (23, 24, 25)}
    # A stretch that begins after now counts nothing yet.
    assert period_days([(now + timedelta(days=1), None)], now, BERLIN) == set()


@settings(max_examples=300, deadline=None)
@given(st.datetimes(datetime(2025, 12, 1), datetime(2026, 2, 1), timezones=st.just(UTC)),
       st.integers(0, 20 * 24 * 60), st.booleans())
def test_period_days_are_the_days_the_stretch_touches(start: datetime, minutes: int, running: bool) -> None:
    now = datetime(2026, 3, 1, tzinfo=UTC)
    end = start + timedelta(minutes=minutes)
    days = period_days([(start, None if running else end)], now if not running else end, BERLIN)
    expected, moment = set(), start
    while moment < end:  # brute force, minute by minute, and the stretch's last instant
        expected.add(moment.astimezone(BERLIN).date())
        moment += timedelta(minutes=1)
    if minutes:
        expected.add((end - timedelta(microseconds=1)).astimezone(BERLIN).date())
    if running and not minutes:
        expected.add(start.astimezone(BERLIN).date())  # away right now: today is an away day
    assert days == expected
    # Across the new year the away days make ISO weeks of 2026-W01 like any other.
    assert away_weeks(days) <= {iso_week(day) for day in days}


@settings(max_examples=200, deadline=None)
@given(st.dates(date(2025, 1, 1), date(2027, 12, 31)), st.integers(0, 400),
       st.sets(st.dates(date(2024, 12, 1), date(2028, 1, 31)), max_size=40))
def test_without_a_calendar_the_away_days_are_the_status_days_in_range(start: date, span: int,
                                                                         status_days: set[date]) -> None:
    end = start + timedelta(days=span)
    walked = [start + timedelta(days=n) for n in range(span + 1)
              if is_away_day(start + timedelta(days=n), status_away=start + timedelta(days=n) in status_days,
                             personal_calendar=None, workspace_calendar=None)]
    assert away_days_between(start, end, status_away_days=status_days) == walked
