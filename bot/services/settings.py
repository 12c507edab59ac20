"""A person's settings (``/lead settings``) and pauses (``/lead pause``, ``/lead resume``).

Every change is made to the person the signed Slack payload names: a settings view or a
"Resume now" button replayed by someone else changes that someone else's settings, never the
original person's.
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy.orm import Session

from bot.coaching import pauses as pause_rules
from bot.coaching.focus import AUTO
from bot.scheduler.registry import PERSONAL_JOBS
from bot.services.context import BotContext
from bot.services.focus import focus_of
from bot.services.people import current_week, today
from bot.services.timeoff import sync_away_period
from bot.services.types.people import PersonRecord
from bot.services.types.settings import (
    JobSetting,
    PauseOutcome,
    PersonalSettings,
    Resumed,
    ResumeOutcome,
    SettingsForm,
)
from bot.store import checkins as checkin_store
from bot.store import people as people_store

# The jobs a person can move, as the settings modal lists them.
JOBS: tuple[JobSetting, ...] = tuple(JobSetting(job.name, job.label, job.hint or "") for job in PERSONAL_JOBS)


_JOB_NAMES = frozenset(job.name for job in JOBS)


def _settings_of(session: Session, person: PersonRecord) -> PersonalSettings:
    slots = {job.name: job.slot(person.slots, person.workspace_slots) for job in PERSONAL_JOBS}
    focus = focus_of(session, person)
    # What "let lead-bot choose" would give, whatever the mode now.
    auto = focus_of(session, replace(person, focus_mode=AUTO, focus=None))
    workspace = people_store.find_workspace(session, person.team_id)  # a read: the modal may open first
    return PersonalSettings(jobs=JOBS, slots=slots, slack_tz=person.slack_tz, tz_override=person.tz_override,
                            track=person.track, focus=person.focus if focus.mode == "chosen" else None,
                            nudges_enabled=bool(person.nudges_enabled),
                            celebrate_publicly=bool(person.celebrate_publicly), role=person.role,
                            focus_mode=focus.mode, auto_focus=auto.foundation,
                            progress_picture=bool(person.progress_picture), holidays=person.holidays,
                            workspace_holidays=workspace.holidays if workspace else None,
                            away_detection=person.away_detection)


def current_settings(ctx: BotContext, person: PersonRecord) -> PersonalSettings:
    """The person's settings as stored now (a newcomer's as they start), each slot resolved to the one in effect."""
    with ctx.store.read() as session:
        stored = people_store.find_person(session, person.team_id, person.user_id)
        return _settings_of(session, stored or person)


def save_settings(ctx: BotContext, person: PersonRecord, form: SettingsForm
                  ) -> tuple[PersonalSettings, PersonalSettings]:
    """Store the form; returns (before, after).

    A slot is stored as the person's own only when it differs from what they would get anyway
    (the workspace's default, else the built-in one), so a later workspace change still reaches
    everybody who never moved that slot.
    """
    now = ctx.clock.now()
    with ctx.store.session() as session:
        row = people_store.get_or_create_person(session, person.team_id, person.user_id, now)
        slots = {k: v for k, v in row.slots.items() if k not in _JOB_NAMES}
        for job in PERSONAL_JOBS:
            slot = form.slots.get(job.name)
            if slot is not None and slot != job.slot(None, row.workspace_slots):
                slots[job.name] = str(slot)
        changes: dict[str, object] = {"role": form.role} if form.role is not None else {}
        if form.away_detection is not None:
            changes["away_detection"] = form.away_detection
        after = people_store.update_person(
            session, row.id, slots=slots, tz_override=form.tz_override, track=form.track,
            focus_mode=form.focus_mode, focus=form.focus if form.focus_mode == "chosen" else None,
            nudges_enabled=form.nudges_enabled, celebrate_publicly=form.celebrate_publicly,
            progress_picture=form.progress_picture, holidays=form.holidays, **changes)
        if after.away_detection != row.away_detection:
            # Turning detection on while the status already says away starts the stretch now;
            # turning it off ends one that runs.
            workspace = people_store.find_workspace(session, row.team_id)
            sync_away_period(session, row.id, row.status_text, row.status_emoji, row.status_expiration,
                             detection=after.away_detection, away_terms=workspace.away_terms if workspace else None,
                             now=now)
        before = _settings_of(session, row)
        return before, _settings_of(session, after)


# pauses -----------------------------------------------------------------------------------------
def pause(ctx: BotContext, person: PersonRecord, weeks: int) -> PauseOutcome:
    """Pause for ``weeks`` weeks by the rules of :mod:`bot.coaching.pauses`.

    Asking again while paused moves the end of the current pause; a pause that already began
    keeps its start, so the weeks it already bridged stay bridged.
    """
    local_today = today(ctx, person)
    week = current_week(ctx, person)
    with ctx.store.session() as session:
        checked_in = checkin_store.find_checkin(session, person.id, week) is not None
        wanted = pause_rules.new_pause(local_today, weeks, checked_in)
        existing = people_store.active_pause(session, person.id, local_today)
        start = wanted.start
        if existing is not None and existing.start <= local_today and not checked_in:
            start = existing.start
        people_store.set_pause(session, person.id, existing, start, wanted.end)
    return PauseOutcome(start=start, end=wanted.end, today=local_today, timezone=person.timezone,
                        replaced=existing is not None)


def resume(ctx: BotContext, person: PersonRecord) -> ResumeOutcome:
    """End the person's pause today (or drop it when it has not begun).

    The pause keeps today, so this week stays bridged, and is marked resumed: the person is not
    paused any more (the export's ``paused_until`` is null).
    """
    local_today = today(ctx, person)
    with ctx.store.session() as session:
        existing = people_store.active_pause(session, person.id, local_today)
        if existing is None or existing.resumed:
            return ResumeOutcome(Resumed.NOT_PAUSED)
        start = existing.start
        remaining = pause_rules.resumed(pause_rules.PauseRange(existing.start, existing.end), local_today)
        people_store.set_pause(session, person.id, existing, remaining.start if remaining else None,
                               remaining.end if remaining else None, resumed_at=ctx.clock.now())
    return ResumeOutcome(Resumed.ENDED if remaining else Resumed.CANCELLED, start=start, today=local_today)
