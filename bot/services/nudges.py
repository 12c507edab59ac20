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
from typing import Final

from bot.coaching.choice import Feedback, PersonFacts, choose_prompt
from bot.coaching.foundations import FOUNDATION_LABELS, TRACK_LABELS
from bot.coaching.library import Prompt, default_library
from bot.coaching.streaks import compute_streak, milestone_reached, paused_weeks
from bot.coaching.weeks import week_of
from bot.errors import NotYours, Owned
from bot.services import celebrations
from bot.services.context import BotContext
from bot.services.focus import focus_of
from bot.services.people import first_name
from bot.services.types.nudges import (
    CheckinNudge,
    CheckinReminder,
    DigestData,
    DigestWin,
    MinutesQuestion,
    PromptMessage,
    ReflectionQuestion,
)
from bot.services.types.people import PersonRecord
from bot.store import checkins as checkin_store
from bot.store import goals as goal_store
from bot.store import people as people_store
from bot.store import prompts as prompt_store
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
def checkin_nudge(ctx: BotContext, person: PersonRecord, week: str, _team: object = None) -> CheckinNudge:
    """Monday's invitation, with the person's streak and focus."""
    with ctx.store.session() as session:
        weeks = checkin_store.checkin_weeks(session, person.id)
        pauses = people_store.pause_ranges(session, person.id)
        focus = focus_of(session, person).foundation
    streak = compute_streak(weeks, paused_weeks(pauses), week).current
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
    """What the team digest shows for ``week``; None when the bot knows nobody in the team."""
    with ctx.store.session() as session:
        people = schedule_store.people_count(session, team_id)
        if people == 0:
            return None
        wins = schedule_store.shared_wins(session, team_id, week)
        checked_in = schedule_store.checked_in_count(session, team_id, week)
        histories = schedule_store.public_streak_histories(session, team_id, week)
    milestones = []
    for history in histories:
        paused = paused_weeks(history.pauses)
        now = compute_streak(history.checkin_weeks, paused, week).current
        before = compute_streak([w for w in history.checkin_weeks if w != week], paused, week).current
        reached = milestone_reached(before, now)
        if reached:
            milestones.append((history.user_id, reached))
    return DigestData(week=week, wins=[DigestWin(w.user_id, w.text) for w in wins],
                      milestones=milestones, checked_in=checked_in, people=people)


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


def minutes_question(ctx: BotContext, team_id: str, user_id: str, prompt_id: str | None) -> MinutesQuestion:
    """What the "I did it" modal asks about: the step, and its suggested minutes (NotYours when not theirs)."""
    acting = acting_on(ctx, team_id, user_id, prompt_id)
    return MinutesQuestion(prompt_id=acting.prompt.id, title=acting.prompt.title, minutes=acting.prompt.minutes)


def log_minutes(ctx: BotContext, team_id: str, user_id: str, prompt_id: str | None, minutes: int) -> None:
    """Record learning minutes in the person's current week (NotYours when the prompt is not theirs)."""
    acting = acting_on(ctx, team_id, user_id, prompt_id)
    now = ctx.clock.now()
    with ctx.store.session() as session:
        prompt_store.add_learning(session, acting.person.id, week_of(now, acting.person.timezone), acting.prompt.id,
                                  minutes, now)


def reflection_question(ctx: BotContext, team_id: str, user_id: str, prompt_id: str | None) -> ReflectionQuestion:
    """The question the reflection modal asks (NotYours when the prompt was not sent to the clicker)."""
    acting = acting_on(ctx, team_id, user_id, prompt_id)
    person, prompt = acting.person, acting.prompt
    week = week_of(ctx.clock.now(), person.timezone)
    rendered = default_library().render(prompt, first_name=first_name(person.display_name),
                                track_label=TRACK_LABELS.get(person.track or "", ""), week=week)
    return ReflectionQuestion(prompt_id=prompt.id, title=rendered.title, body=rendered.body)


def save_reflection(ctx: BotContext, team_id: str, user_id: str, prompt_id: str | None, text: str) -> None:
    """Store the answer privately under the person's current week (NotYours when not theirs)."""
    acting = acting_on(ctx, team_id, user_id, prompt_id)
    now = ctx.clock.now()
    with ctx.store.session() as session:
        prompt_store.save_reflection(session, acting.person.id, week_of(now, acting.person.timezone),
                                     acting.prompt.id, text, now)
