"""What deciding "away today?" costs a sweep per person, beside a floor measured in the same run.

A sweep asks ``bot/coaching/timeoff.py: away_today`` once for every person due, from stored
columns only (no Slack call). This times it over N people (default 100,000) with a realistic mix:
most with no status, some with an ordinary status ("In a meeting"), some away by status, some
with an expired away status, spread over a few holiday calendars. The floor is the same loop
building the same records and calling a function that only reads them, so the difference is the
rule's own cost.

Run: ``python bench/away_check.py [N]``.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.coaching.timeoff import AwayCheck, away_today  # noqa: E402

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)  # a Monday; Labour Thanksgiving Day in JP
STATUSES = ((None, None, None), (None, None, None), (None, None, None), ("In a meeting", ":calendar:", None),
            ("Vacationing", ":palm_tree:", None), ("Out of office", None, int(NOW.timestamp()) - 60),
            ("ooo until Monday", None, int(NOW.timestamp()) + 3600))
CALENDARS = (None, "DE", "US-CA", "JP", "GB-SCT")


def checks(count: int) -> list[AwayCheck]:
    made = []
    for n in range(count):
        text, emoji, expiration = STATUSES[n % len(STATUSES)]
        made.append(AwayCheck(text, emoji, expiration, detection=n % 11 != 0, personal_calendar=None,
                              workspace_calendar=CALENDARS[n % len(CALENDARS)],
                              away_terms="elternzeit, :mountain:" if n % 2 else None))
    return made


def floor(check: AwayCheck, now: datetime, day: date) -> str | None:
    return check.status_text if check.detection and now and day else None


def timed(rule: Callable[[AwayCheck, datetime, date], str | None], people: list[AwayCheck]) -> tuple[float, int]:
    day = NOW.date()
    started = time.perf_counter()
    away = sum(1 for check in people if rule(check, NOW, day))
    return time.perf_counter() - started, away


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    people = checks(count)
    away_today(people[0], NOW, NOW.date())  # build the calendars and patterns once, as a long-lived process has
    floor_s, _ = timed(floor, people)
    rule_s, away = timed(away_today, people)
    print(f"people: {count}; away today: {away}")
    print(f"away_today: {rule_s * 1000:.0f} ms ({rule_s / count * 1e6:.2f} µs a person)")
    print(f"floor (same loop, a function that only reads the record): {floor_s * 1000:.0f} ms "
          f"({floor_s / count * 1e6:.2f} µs a person)")


if __name__ == "__main__":
    main()
