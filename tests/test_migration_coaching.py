"""Migration 0002 on a database with data: a stored focus stays chosen, the assessment moves, nothing is lost."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from alembic import command
from sqlalchemy import create_engine, inspect, text

from bot.store.migrate import alembic_config


def _insert_people(url: str) -> None:
    engine = create_engine(url)
    onboarded = {"version": 1, "answers": {"explain": 4, "hands_on": 2}, "assessed_at": "2026-02-01T10:00:00+00:00"}
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO workspaces (team_id, default_tz, slots, created_at) "
                                "VALUES ('T1', 'UTC', '{}', '2026-01-01 00:00:00')"))
        insert = text("INSERT INTO people (team_id, user_id, track, focus, nudges_enabled, celebrate_publicly, active, "
                      "slots, assessment, onboarded_at, created_at) VALUES ('T1', :user, :track, :focus, true, true, "
                      "true, '{}', :assessment, :onboarded, '2026-01-01 00:00:00')")
        connection.execute(insert, [
            {"user": "U1", "track": "hybrid", "focus": "delegation", "assessment": json.dumps(onboarded),
             "onboarded": "2026-02-01 10:00:00"},
            {"user": "U2", "track": None, "focus": None, "assessment": "{}", "onboarded": None},
            {"user": "U3", "track": None, "focus": "leadership", "assessment": json.dumps({"answers": {"goals": 1}}),
             "onboarded": "2026-03-01 08:00:00"},
        ])
        connection.execute(text("INSERT INTO checkins (person_id, week, submitted_at, personality, upskilling, "
                                "delegation, progress, learning_minutes, practices) "
                                "VALUES (1, '2026-W05', '2026-02-01 00:00:00', 1, 2, 3, 4, 0, '[]')"))
    engine.dispose()


def _read(url: str, query: str) -> list[tuple]:
    engine = create_engine(url)
    with engine.connect() as connection:
        rows = [tuple(row) for row in connection.execute(text(query))]
    engine.dispose()
    return rows


def _utc(value: object) -> datetime:
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def test_0002_keeps_a_stored_focus_chosen_and_moves_the_assessment(empty_database: str) -> None:
    config = alembic_config(empty_database)
    command.upgrade(config, "0001")
    _insert_people(empty_database)
    command.upgrade(config, "head")

    people = _read(empty_database, "SELECT user_id, focus_mode, focus, role, focus_review_week FROM people ORDER BY id")
    # A stored focus stays the person's choice; no focus, or one that is no foundation, becomes auto.
    assert people == [("U1", "chosen", "delegation", None, None), ("U2", "auto", None, None, None),
                      ("U3", "auto", None, None, None)]
    moved = _read(empty_database, "SELECT p.user_id, a.taken_at, a.track, a.answers FROM assessments a "
                             "JOIN people p ON p.id = a.person_id ORDER BY p.id")
    assert [(user, _utc(taken), track, answers if isinstance(answers, dict) else json.loads(answers))
            for user, taken, track, answers in moved] == [
        ("U1", datetime(2026, 2, 1, 10, tzinfo=UTC), "hybrid", {"explain": 4, "hands_on": 2}),
        ("U3", datetime(2026, 3, 1, 8, tzinfo=UTC), None, {"goals": 1}),  # no time stored: onboarding's
    ]
    # The check-in survived (no copy of people cascaded it away) and has no energy answer.
    assert _read(empty_database, "SELECT week, energy FROM checkins") == [("2026-W05", None)]
    engine = create_engine(empty_database)
    columns = {column["name"] for column in inspect(engine).get_columns("people")}
    engine.dispose()
    assert "assessment" not in columns and {"role", "focus_mode", "focus_review_week", "growth_invite_week"} <= columns

    command.downgrade(config, "0001")
    back = _read(empty_database, "SELECT user_id, assessment FROM people ORDER BY id")
    restored = {user: (value if isinstance(value, dict) else json.loads(value)) for user, value in back}
    assert restored["U1"]["answers"] == {"explain": 4, "hands_on": 2} and restored["U2"] == {}
    assert _read(empty_database, "SELECT week FROM checkins") == [("2026-W05",)]
    command.upgrade(config, "head")
