"""The weekly rhythm's content: what each scheduled message says, and what its buttons do.

Building a message only reads; the scheduler (``bot/scheduler``) decides when and records that
it was sent. Each builder here is named by its job's entry in ``bot/scheduler/registry.py``, and
returns data (``bot/services/types/nudges.py``) that ``bot/views/nudges.py`` renders. The button
handlers take the acting person from the signed Slack payload and act only on prompts that were
actually sent to that person, so a replayed click cannot touch someone else's data or stuff the
team's votes.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Final

from sqlalchemy.orm import Session

from bot.coaching.choice import Feedback, PersonFacts, choose_prompt
from bot.coaching.foundations import FOUNDATION_LABELS, TRACK_LABELS
from bot.coaching.learning import week_minutes
from bot.coaching.library import Prompt, default_library
from bot.coaching.schedule import slot_instant, zone
from bot.coaching.streaks import compute_streak, paused_weeks
from bot.coaching.timeoff import digest_slot, stored_calendar
from bot.coaching.weeks import shift_week, week_of
from bot.errors import NotYours, Owned
from bot.services import celebrations
from bot.services import timeoff as timeoff_service
from bot.services.checkins import streak_of
from bot.services.context import BotContext
from bot.services.focus import focus_from, focus_of
from bot.services.people import first_name
from bot.services.types.nudges import (
    CheckinNudge,
    CheckinReminder,
    DigestData,
    DigestGoal,
    DigestKudos,
    DigestWin,
    MinutesQuestion,
    PromptMessage,
    ReflectionQuestion,
    StepLogged,
)
from bot.services.types.people import PersonRecord
from bot.store import checkins as checkin_store
from bot.store import goals as goal_store
from bot.store import kudos as kudos_store
from bot.store import people as people_store
from bot.store import progress as progress_store
from bot.store import prompts as prompt_store
from bot.store import review as review_store
from bot.store import schedule as schedule_store

UPSKILLING: Final = "upskilling"  # the library's prompt kinds
REFLECTION: Final = "reflection"
Votes = Mapping[str, tuple[int, int]]  # prompt id -> (helpful, not for me) across a workspace


@dataclass(frozen=True)
class TeamFacts:
    """What the prompt sweeps read once per workspace: the team's votes, and whether it has a team channel."""

    votes: Votes = field(default_factory=dict)
    has_team_channel: bool = False


# scheduled messages: each takes (context, person, week, what the job read once for the team) ----
@dataclass(frozen=True)
class NudgeHistory:
    """What the check-in nudge says about one person, read for a whole chunk of people at once."""

    weeks: list[str]
    pauses: list[tuple[date, date]]
    focus: str | None
    away: set[str]  # away weeks: they neither count nor break the streak


def checkin_histories(ctx: BotContext, people: Collection[PersonRecord]) -> dict[int, NudgeHistory]:
    """Check-in weeks, pauses, focus and away weeks of ``people``: five queries, however many people."""
    ids = [person.id for person in people]
    with ctx.store.read() as session:
        checkins = checkin_store.histories_of(session, ids)
        pauses = schedule_store.pauses_of(session, ids)
        answers = review_store.latest_answers_of(session, ids)
        # Counted to now: whether this week is an away week cannot change the current streak.
        now = ctx.clock.now()
        away = timeoff_service.away_weeks_of(session, people, lambda _person: now)
    found = {}
    for person in people:
        history = checkins.get(person.id, [])
        focus = focus_from(person, [ratings for _, ratings in history], answers.get(person.id)).foundation
        found[person.id] = NudgeHistory([week for week, _ in history], sorted(pauses.get(person.id, [])), focus,
                                        away.get(person.id, set()))
    return found


def checkin_nudge(ctx: BotContext, person: PersonRecord, week: str, _team: object = None,
                  history: NudgeHistory | None = None) -> CheckinNudge:
    """Monday's invitation, with the person's streak and focus (``history`` when the sweep read it)."""
    if history is None:
        with ctx.store.session() as session:
            streak = streak_of(session, person, week).current
            focus = focus_of(session, person).foundation
    else:
        streak = compute_streak(history.weeks, paused_weeks(history.pauses), week, away_weeks=history.away).current
        focus = history.focus
    return CheckinNudge(first_name=first_name(person.display_name), week=week, streak=streak,
                        focus_label=FOUNDATION_LABELS.get(focus or ""))


def checkin_reminder(_ctx: BotContext, person: PersonRecord, week: str, _team: object = None) -> CheckinReminder:
    """Thursday's reminder (the job sends it only to people without this week's check-in)."""
    return CheckinReminder(first_name=first_name(person.display_name), week=week)


def upskilling_prompt(ctx: BotContext, person: PersonRecord, week: str, team: TeamFacts | None = None
                      ) -> PromptMessage | None:
    """Wednesday's learning step for the person's focus."""
    return _prompt(ctx, UPSKILLING, person, week, team)


def reflection_prompt(ctx: BotContext, person: PersonRecord, week: str, team: TeamFacts | None = None
                      ) -> PromptMessage | None:
    """Friday's reflection question."""
    return _prompt(ctx, REFLECTION, person, week, team)


def team_facts(ctx: BotContext, team_ids: Collection[str]) -> dict[str, TeamFacts]:
    """Each workspace's votes on prompts and its team channel, read once per sweep rather than once per person."""
    with ctx.store.session() as session:
        votes = {team_id: prompt_store.team_votes(session, team_id) for team_id in team_ids}
    return {team_id: TeamFacts(votes=votes[team_id],
                               has_team_channel=celebrations.team_channel(ctx, team_id) is not None)
            for team_id in team_ids}


def _prompt(ctx: BotContext, kind: str, person: PersonRecord, week: str, team: TeamFacts | None
            ) -> PromptMessage | None:
    """Pick this week's prompt with the choice rule, for who the person is, and render it for them."""
    if team is None:
        team = team_facts(ctx, [person.team_id])[person.team_id]
    with ctx.store.session() as session:
        focus = focus_of(session, person)
        sent = prompt_store.sent_history(session, person.id)
        rejected = prompt_store.rejected(session, person.id)
        has_goal = bool(goal_store.active_goals(session, person.id))
    facts = PersonFacts(role=person.role, track=person.track, has_active_goal=has_goal,
                        has_team_channel=team.has_team_channel)
    lib = default_library()
    choice = choose_prompt(lib.prompts, kind=kind, person=facts, focus=focus, week=week, sent=sent,
                           rejected=rejected, feedback={pid: Feedback(h, n) for pid, (h, n) in team.votes.items()},
                           person_key=f"{person.team_id}:{person.user_id}")
    if choice is None:
        return None
    prompt = choice.prompt
    focus_label = FOUNDATION_LABELS[focus.for_prompts]
    rendered = lib.render(prompt, first_name=first_name(person.display_name),
                          track_label=TRACK_LABELS.get(person.track or "", ""), focus_label=focus_label, week=week)
    return PromptMessage(kind=kind, rendered=rendered, minutes=prompt.minutes, focus_label=focus_label,
                         foundation_label=FOUNDATION_LABELS[prompt.foundation], reason=choice.reason)


def team_digest(ctx: BotContext, team_id: str, week: str) -> DigestData | None:
    """What the team digest shows for ``week``; None when the bot knows nobody in the team.

    Shared wins, kudos shown to the team, finished goals and streak milestones are listed when they happened since the
    previous digest's slot, up to this one's: whatever comes after Friday's digest is in the next
    one, so nothing falls between two digests and nothing is listed twice. Participation is
    counted for the week, leaving out people on a pause who did not check in.
    """
    start, end = _digest_window(ctx, team_id, week)
    with ctx.store.session() as session:
        turnout = progress_store.participation(session, team_id, week)
        if turnout.people + turnout.paused == 0:
            return None
        wins = progress_store.shared_wins_between(session, team_id, start, end)
        goals = progress_store.goals_done_between(session, team_id, start, end)
        milestones = progress_store.milestones_between(session, team_id, start, end)
        kudos = kudos_store.shared_between(session, team_id, start, end)
    return DigestData(week=week, wins=[DigestWin(w.user_id, w.text) for w in wins], milestones=milestones,
                      goals=[DigestGoal(user_id, title) for user_id, title in goals],
                      checked_in=turnout.checked_in, people=turnout.people, paused=turnout.paused,
                      kudos=[DigestKudos(k.giver_user, k.recipient_user, k.text) for k in kudos])


def _digest_window(ctx: BotContext, team_id: str, week: str) -> tuple[datetime, datetime]:
    """(previous digest slot, this one's], as UTC instants in the workspace's time zone."""
    from bot.scheduler.registry import TEAM_DIGEST  # the registry imports this module for its builders

    with ctx.store.read() as session:
        workspace = people_store.workspace_as_seen(session, team_id, ctx.clock.now())
    slot, tz = TEAM_DIGEST.slot(None, workspace.slots), zone(workspace.default_tz)
    calendar = stored_calendar(workspace.holidays)

    def sent_at(digest_week: str) -> datetime | None:
        # Where the holiday rule put that week's digest (docs/coaching.md), None when it was skipped.
        moved = digest_slot(slot, digest_week, calendar)
        return None if moved is None else slot_instant(moved, digest_week, tz)

    # A skipped week's news waits for the next digest: the window starts at the last one sent.
    previous = next((at for back in range(1, 5) if (at := sent_at(shift_week(week, -back))) is not None),
                    slot_instant(slot, shift_week(week, -1), tz))
    return previous, sent_at(week) or slot_instant(slot, week, tz)


# buttons ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Acting:
    """The clicking person and the prompt they clicked, once both are known to belong together."""

    person: PersonRecord
    prompt: Prompt


def acting_on(ctx: BotContext, team_id: str, user_id: str, prompt_id: str | None) -> Acting:
    """The clicker and the prompt, when that prompt was sent to that very person.

    The user comes from the signed payload; the prompt id from the button, which anyone can
    replay. Only a prompt the bot actually sent to the clicker is accepted: anything else raises
    :class:`~bot.errors.NotYours`.
    """
    prompt = default_library().get(prompt_id) if prompt_id else None
    if prompt is None:
        raise NotYours(Owned.PROMPT)
    with ctx.store.session() as session:
        person = people_store.find_person(session, team_id, user_id)
        if person is None or not prompt_store.was_sent(session, person.id, prompt.id):
            raise NotYours(Owned.PROMPT)
    return Acting(person, prompt)


def record_verdict(ctx: BotContext, team_id: str, user_id: str, prompt_id: str | None, verdict: str) -> None:
    """Store "helpful" / "not for me" from the clicker (NotYours when the prompt is not theirs)."""
    acting = acting_on(ctx, team_id, user_id, prompt_id)
    with ctx.store.session() as session:
        prompt_store.set_feedback(session, acting.person.id, acting.prompt.id, verdict, ctx.clock.now())


def minutes_question(ctx: BotContext, team_id: str, user_id: str, prompt_id: str | None
                     ) -> MinutesQuestion | StepLogged:
    """What the "I did it" modal asks about; or, when the step is already logged, that log.

    NotYours when the prompt was not sent to the clicker. The minutes go to the week the prompt
    was sent for, once.
    """
    acting = acting_on(ctx, team_id, user_id, prompt_id)
    with ctx.store.session() as session:
        week = _send_week(session, acting)
        logged = progress_store.logged_step(session, acting.person.id, acting.prompt.id, week)
        checkin = progress_store.checkin_minutes(session, acting.person.id, week)
    is_current = week == week_of(ctx.clock.now(), acting.person.timezone)
    if logged is not None:
        return _step_logged(ctx, acting, week, logged.minutes, created=False)
    return MinutesQuestion(prompt_id=acting.prompt.id, title=acting.prompt.title, minutes=acting.prompt.minutes,
                           week=week, checkin_minutes=checkin, is_current=is_current)


def log_minutes(ctx: BotContext, team_id: str, user_id: str, prompt_id: str | None, minutes: int) -> StepLogged:
    """Log the step's minutes in the week it was sent for, once (NotYours when the prompt is not theirs).

    A second log of the same step (a second click, two racing submissions) changes nothing: the
    result then carries the first log's minutes and ``created`` False.
    """
    acting = acting_on(ctx, team_id, user_id, prompt_id)
    with ctx.store.session() as session:
        week = _send_week(session, acting)
        log, created = progress_store.log_step(session, acting.person.id, acting.prompt.id, week, minutes,
                                               ctx.clock.now())
    return _step_logged(ctx, acting, week, log.minutes, created=created)


def _send_week(session: Session, acting: Acting) -> str:
    week = progress_store.send_week(session, acting.person.id, acting.prompt.id)
    if week is None:  # acting_on found the send a moment ago; it is only gone if the person was erased
        raise NotYours(Owned.PROMPT)
    return week


def _step_logged(ctx: BotContext, acting: Acting, week: str, minutes: int, *, created: bool) -> StepLogged:
    """The log and what the week adds up to now, by the learning-minutes rule."""
    with ctx.store.session() as session:
        checkin = progress_store.checkin_minutes(session, acting.person.id, week)
        logged = progress_store.logged_minutes(session, acting.person.id, week)
    total = week_minutes({week: checkin} if checkin is not None else {}, [(week, logged)]).get(week, 0)
    return StepLogged(prompt_id=acting.prompt.id, minutes=minutes, week=week, created=created,
                      checkin_minutes=checkin, week_total=total,
                      is_current=week == week_of(ctx.clock.now(), acting.person.timezone))


def reflection_question(ctx: BotContext, team_id: str, user_id: str, prompt_id: str | None) -> ReflectionQuestion:
    """The question the reflection modal asks (NotYours when the prompt was not sent to the clicker)."""
    acting = acting_on(ctx, team_id, user_id, prompt_id)
    person, prompt = acting.person, acting.prompt
    with ctx.store.session() as session:
        week = _send_week(session, acting)
    rendered = default_library().render(prompt, first_name=first_name(person.display_name),
                                        track_label=TRACK_LABELS.get(person.track or "", ""), week=week)
    return ReflectionQuestion(prompt_id=prompt.id, title=rendered.title, body=rendered.body, week=week)


def save_reflection(ctx: BotContext, team_id: str, user_id: str, prompt_id: str | None, text: str) -> str:
    """Store the answer privately under the week the question was sent for; returns that week.

    NotYours when the prompt was not sent to the clicker. Answering again replaces the answer.
    """
    acting = acting_on(ctx, team_id, user_id, prompt_id)
    with ctx.store.session() as session:
        week = _send_week(session, acting)
        prompt_store.save_reflection(session, acting.person.id, week, acting.prompt.id, text, ctx.clock.now())
    return week
