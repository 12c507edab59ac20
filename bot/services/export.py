"""A person's data in CONTRACT.md's export shape."""

from __future__ import annotations

from typing import Any

from bot.coaching.weeks import local_date, week_of
from bot.services.checkins import streak_of
from bot.services.context import BotContext
from bot.store import people as people_store
from bot.store.records import PersonData


def export_person(ctx: BotContext, user_id: str) -> dict[str, Any] | None:
    """Everything stored about ``user_id``, oldest first; None when the bot does not know them."""
    now = ctx.clock.now()
    with ctx.store.session() as session:
        person = people_store.find_person_anywhere(session, user_id)
        if person is None:
            return None
        data = people_store.person_data(session, person)
        streak = streak_of(session, person, week_of(now, person.timezone))
        pause = people_store.active_pause(session, person.id, local_date(now, person.timezone))
    return {
        "user_id": person.user_id,
        "team_id": person.team_id,
        "track": person.track,
        "focus": person.focus,
        "timezone": person.timezone,
        # Null whenever the person is not paused, after /lead resume too (the history is in "pauses").
        "paused_until": pause.end.isoformat() if pause and not pause.resumed else None,
        "streak": {"current": streak.current, "longest": streak.longest},
        **_rows(data),
    }


def _rows(data: PersonData) -> dict[str, Any]:
    person = data.person
    return {
        "checkins": [
            {"week": c.week, "submitted_at": c.submitted_at.isoformat(), "ratings": dict(c.ratings),
             "learning_minutes": c.learning_minutes, "practices": list(c.practices), "reflection": c.reflection}
            for c in data.checkins
        ],
        "goals": [
            {"id": g.id, "title": g.title, "foundation": g.foundation, "status": g.status, "progress": g.progress,
             "due": g.due.isoformat() if g.due else None, "measure": g.measure, "target": g.target,
             "current": g.current}
            for g in data.goals
        ],
        "wins": [
            {"text": w.text, "shared": w.shared, "created_at": w.created_at.isoformat(), "foundation": w.foundation}
            for w in data.wins
        ],
        # Beyond CONTRACT.md's keys: everything else stored about the person, so the export is whole.
        "reflections": [{"week": r.week, "prompt_id": r.prompt_id, "text": r.text,
                         "created_at": r.created_at.isoformat()} for r in data.reflections],
        "learning_logs": [{"week": log.week, "prompt_id": log.prompt_id, "minutes": log.minutes,
                           "created_at": log.created_at.isoformat()} for log in data.learning],
        "prompt_feedback": [{"prompt_id": f.prompt_id, "verdict": f.verdict, "at": f.at.isoformat()}
                            for f in data.feedback],
        "pauses": [{"start": p.start.isoformat(), "end": p.end.isoformat()} for p in data.pauses],
        "settings": {"nudges_enabled": person.nudges_enabled, "celebrate_publicly": person.celebrate_publicly,
                     "slots": dict(person.slots), "timezone_override": person.tz_override},
        "assessment": dict(person.assessment),
    }
