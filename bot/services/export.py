"""A person's data in the export shape of docs/interface.md (``lead-bot export``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.coaching.growth import SIDES, side_average
from bot.coaching.learning import week_minutes
from bot.coaching.library import default_library
from bot.coaching.onboarding import clean_answers, suggest_focus, suggest_track
from bot.coaching.weeks import local_date, week_of
from bot.services import kudos, pairing
from bot.services import timeoff as timeoff_service
from bot.services.checkins import streak_of
from bot.services.context import BotContext
from bot.services.focus import focus_of
from bot.store import people as people_store
from bot.store import prompts as prompt_store
from bot.store import review as review_store
from bot.store import timeoff as timeoff_store
from bot.store.records import AssessmentRecord, LearningRecord, PersonData, PromptSendRecord


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
        focus = focus_of(session, person)
        assessments = review_store.assessments(session, person.id)
        sends = prompt_store.sent_prompts(session, person.id)
        away_days = timeoff_service.away_days(session, person, now)
        away_periods = timeoff_store.away_periods(session, person.id)
    return {
        "user_id": person.user_id,
        "team_id": person.team_id,
        "track": person.track,
        "focus": focus.foundation,
        "timezone": person.timezone,
        # Null whenever the person is not paused, after /lead resume too (the history is in "pauses").
        "paused_until": pause.end.isoformat() if pause and not pause.resumed else None,
        "streak": {"current": streak.current, "longest": streak.longest},
        "role": person.role,
        "focus_mode": focus.mode,
        **_rows(data),
        "assessment": _latest_assessment(assessments),
        "assessments": [_assessment(a) for a in assessments],
        "prompts": _prompts(sends, data),
        # Time off: the days counted as away (status or holiday), and the status stretches behind them.
        "away_days": [day.isoformat() for day in away_days],
        "away_periods": [{"start": p.started_at.isoformat(), "end": p.ended_at.isoformat() if p.ended_at else None}
                         for p in away_periods],
        "kudos": kudos.export_kudos(ctx, person),
        "pairing": pairing.export_pairing(ctx, person),
    }


def _rows(data: PersonData) -> dict[str, Any]:
    person = data.person
    return {
        "checkins": [
            {"week": c.week, "submitted_at": c.submitted_at.isoformat(), "ratings": dict(c.ratings),
             "learning_minutes": c.learning_minutes, "practices": list(c.practices), "reflection": c.reflection,
             "energy": c.energy}
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
        # Beyond the documented keys: everything else stored about the person, so the export is whole.
        "reflections": [{"week": r.week, "prompt_id": r.prompt_id, "text": r.text,
                         "created_at": r.created_at.isoformat()} for r in data.reflections],
        "learning_logs": [{"week": log.week, "prompt_id": log.prompt_id, "minutes": log.minutes,
                           "created_at": log.created_at.isoformat()} for log in data.learning],
        "prompt_feedback": [{"prompt_id": f.prompt_id, "verdict": f.verdict, "at": f.at.isoformat()}
                            for f in data.feedback],
        "pauses": [{"start": p.start.isoformat(), "end": p.end.isoformat()} for p in data.pauses],
        "learning": _learning(data),
        "settings": {"nudges_enabled": person.nudges_enabled, "celebrate_publicly": person.celebrate_publicly,
                     "slots": dict(person.slots), "timezone_override": person.tz_override,
                     "progress_picture": person.progress_picture},
    }


def _assessment(assessment: AssessmentRecord) -> dict[str, Any]:
    answers = clean_answers(assessment.answers)
    scores = {side: _rounded(side_average(answers, side)) for side in SIDES}
    return {"taken_at": assessment.taken_at.isoformat(), "track": assessment.track, "scores": scores,
            "answers": answers}


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _latest_assessment(assessments: Sequence[AssessmentRecord]) -> dict[str, Any]:
    """The latest self-assessment in the shape exports had before every assessment was kept."""
    if not assessments:
        return {}
    latest = assessments[-1]
    answers = clean_answers(latest.answers)
    return {"version": 1, "answers": answers, "suggested_track": suggest_track(answers).track,
            "suggested_focus": suggest_focus(answers), "assessed_at": latest.taken_at.isoformat()}


def _prompts(sends: Sequence[PromptSendRecord], data: PersonData) -> list[dict[str, Any]]:
    """Every prompt sent, with the person's verdict on it and the minutes logged for it with "I did it".

    Minutes logged for a prompt count toward its latest send at or before the week they were logged,
    so a prompt that came back after eight weeks does not show the first round's minutes twice.
    """
    library = default_library()
    verdicts = {f.prompt_id: f.verdict for f in data.feedback}
    minutes: dict[int, int] = {}
    for log in data.learning:
        index = _send_for(sends, log)
        if index is not None:
            minutes[index] = minutes.get(index, 0) + log.minutes
    result = []
    for index, send in enumerate(sends):
        prompt = library.get(send.prompt_id)
        foundation = prompt.foundation if prompt else _foundation_from_id(send.prompt_id)
        result.append({"id": send.prompt_id, "kind": send.kind, "foundation": foundation, "week": send.week,
                       "feedback": verdicts.get(send.prompt_id), "done_minutes": minutes.get(index)})
    return result


def _send_for(sends: Sequence[PromptSendRecord], log: LearningRecord) -> int | None:
    """The index of the send a learning log belongs to: the latest of its prompt at or before its week."""
    found = None
    for index, send in enumerate(sends):
        if send.prompt_id == log.prompt_id and send.week <= log.week:
            found = index
    if found is None:  # logged in a week before any send recorded (clock skew): the first send
        found = next((i for i, send in enumerate(sends) if send.prompt_id == log.prompt_id), None)
    return found


def _foundation_from_id(prompt_id: str) -> str | None:
    """A prompt no longer in the library still names its foundation in its id (``kind.foundation.NN``)."""
    parts = prompt_id.split(".")
    return parts[1] if len(parts) == 3 else None


def _learning(data: PersonData) -> list[dict[str, Any]]:
    """Each week's learning minutes by the rule in docs/interface.md, oldest first."""
    totals = week_minutes({c.week: c.learning_minutes for c in data.checkins},
                          [(log.week, log.minutes) for log in data.learning])
    return [{"week": week, "minutes": totals[week]} for week in sorted(totals)]
