"""Seed a database with N enrolled people for the scale benchmarks, through the bot's own store.

About 20 time zones; about 5 % paused over the benchmark's Monday and 5 % with nudges off; a
third with two recent check-ins (so the nudge's streak and focus have something to read). The
schema comes from the bot's migrations, the rows from its models and :class:`bot.store.db.Store`
sessions, inserted a few thousand at a time (creating 100,000 people one request at a time is
not what is measured here).

Run: ``python bench/seed.py N DATABASE_URL`` (the database must exist; it is migrated first).
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.config import normalize_database_url  # noqa: E402
from bot.store import people as people_store  # noqa: E402
from bot.store.db import Store  # noqa: E402
from bot.store.migrate import upgrade  # noqa: E402
from bot.store.models import Checkin, Pause, Person  # noqa: E402

TEAM = "T0001"
AT = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)  # Monday noon UTC: the benchmark's sweep moment
IDLE_AT = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)  # Sunday noon UTC: nobody's Monday nudge is due
# Due at AT (their Monday 10:00 has passed, midnight has not) and not yet due (west of UTC-2).
ZONES = ("Europe/Berlin", "Europe/London", "UTC", "Africa/Lagos", "Asia/Kolkata", "Asia/Tokyo", "Europe/Paris",
         "Europe/Madrid", "Europe/Warsaw", "Europe/Helsinki", "Africa/Nairobi", "Asia/Dubai", "Asia/Singapore",
         "Australia/Sydney", "Atlantic/Azores", "America/Sao_Paulo", "America/New_York", "America/Chicago",
         "America/Los_Angeles", "Pacific/Honolulu")
BATCH = 5_000


def seed(store: Store, count: int) -> None:
    """Add ``count`` people (user ids U000000…) to workspace T0001, with pauses and check-ins."""
    now = AT - timedelta(days=60)
    with store.session() as session:
        people_store.get_or_create_workspace(session, TEAM, now)
    for start in range(0, count, BATCH):
        numbers = range(start, min(count, start + BATCH))
        with store.session() as session:
            session.execute(insert(Person), [
                {"team_id": TEAM, "user_id": f"U{n:06d}", "display_name": f"Person {n}",
                 "slack_tz": ZONES[n % len(ZONES)], "nudges_enabled": n % 20 != 7, "slots": {}, "created_at": now}
                for n in numbers])
            ids = dict(session.execute(select(Person.user_id, Person.id).where(
                Person.user_id.in_([f"U{n:06d}" for n in numbers]))).tuples().all())
            pauses = [{"person_id": ids[f"U{n:06d}"], "start": date(2026, 11, 20), "end": date(2026, 12, 4)}
                      for n in numbers if n % 20 == 3]
            if pauses:
                session.execute(insert(Pause), pauses)
            checkins = [{"person_id": ids[f"U{n:06d}"], "week": week, "submitted_at": now, "personality": 3,
                         "upskilling": 4, "delegation": 2, "progress": 3, "learning_minutes": 30, "practices": []}
                        for n in numbers if n % 3 == 0 for week in ("2026-W46", "2026-W47")]
            if checkins:
                session.execute(insert(Checkin), checkins)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("people", type=int)
    parser.add_argument("database_url")
    args = parser.parse_args()
    url = normalize_database_url(args.database_url)
    upgrade(url)
    store = Store.from_url(url)
    started = time.perf_counter()
    try:
        seed(store, args.people)
    finally:
        store.dispose()
    print(f"seeded {args.people} people in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
