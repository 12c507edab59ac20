"""The weekly rhythm's content: what each scheduled message says, and what its buttons do.

Building a message only reads; the scheduler (``bot/scheduler``) decides when and records that
it was sent. The button handlers take the acting person from the signed Slack payload and act
only on prompts that were actually sent to that person, so a replayed click cannot touch
someone else's data or stuff the team's votes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.coaching.choice import Feedback, PersonFacts, choose_prompt
from bot.coaching.focus import effective_focus
from bot.coaching.foundations import FOUNDATION_LABELS, TRACK_LABELS
from bot.coaching.library import Prompt, default_library
from bot.coaching.streaks import compute_streak, milestone_reached, paused_weeks
from bot.coaching.weeks import week_of
from bot.services.context import BotContext
from bot.services.people import first_name
from bot.store import checkins as checkin_store
from bot.store import people as people_store
from bot.store import prompts as prompt_store
from bot.store import schedule as schedule_store
from bot.store.models import Person
from bot.store.schedule import Recipient
from bot.views import nudges as views

PROMPT_KINDS: Mapping[str, str] = {"upskilling-prompt": "upskilling", "reflection-prompt": "reflection"}


@dataclass(frozen=True)
class Outgoing:
    """A message ready to post, and the library prompt it carries (recorded once it is sent)."""

    payload: dict[str, Any]
    prompt_id: str | None = None
    prompt_kind: str | None = None


# scheduled messages -------------------------------------------------------------------------
def build_personal(ctx: BotContext, job: str, person: Recipient, week: str,
                   votes: Mapping[str, tuple[int, int]] | None = None) -> Outgoing | None:
    """The ``job`` message for ``person`` in ``week``; None when there is nothing to send."""
    if job == "checkin-nudge":
        return _checkin_nudge(ctx, person, week)
    if job == "checkin-reminder":
        return Outgoing(views.checkin_reminder(first_name=first_name(person.display_name), week=week))
    if job in PROMPT_KINDS:
        return _prompt(ctx, PROMPT_KINDS[job], person, week, votes)
    raise ValueError(f"{job!r} is not a personal job")


def _checkin_nudge(ctx: BotContext, person: Recipient, week: str) -> Outgoing:
    with ctx.store.session() as session:
        weeks = checkin_store.checkin_weeks(session, person.person_id)
        pauses = people_store.pause_ranges(session, person.person_id)
    streak = compute_streak(weeks, paused_weeks(pauses), week).current
    return Outgoing(views.checkin_nudge(first_name=first_name(person.display_name), week=week, streak=streak,
                                        focus_label=FOUNDATION_LABELS.get(person.focus or "")))


def _prompt(ctx: BotContext, kind: str, person: Recipient, week: str,
            votes: Mapping[str, tuple[int, int]] | None) -> Outgoing | None:
    """Pick this week's prompt with the choice rule and render it for the person."""
    with ctx.store.session() as session:
        recent = [c.ratings for c in checkin_store.recent_checkins(session, person.person_id, limit=4)]
        sent = prompt_store.sent_history(session, person.person_id)
        rejected = prompt_store.rejected(session, person.person_id)
        if votes is None:
            votes = prompt_store.team_votes(session, person.team_id)
    # Until roles, goals and focus modes are wired in (issue 9), a stored focus counts as chosen and
    # the person as meeting no requirement: the safe side, never a prompt that assumes too much.
    current = effective_focus("chosen" if person.focus else "auto", person.focus, recent)
    focus = current.for_prompts
    lib = default_library()
    choice = choose_prompt(lib.prompts, kind=kind, person=PersonFacts(track=person.track), focus=current,
                           week=week, sent=sent, rejected=rejected,
                           feedback={pid: Feedback(h, n) for pid, (h, n) in votes.items()},
                           person_key=f"{person.team_id}:{person.user_id}")
    if choice is None:
        return None
    prompt = choice.prompt
    rendered = lib.render(prompt, first_name=first_name(person.display_name),
                          track_label=TRACK_LABELS.get(person.track or "", ""),
                          focus_label=FOUNDATION_LABELS[focus], week=week)
    if kind == "upskilling":
        payload = views.upskilling_prompt(rendered, minutes=prompt.minutes, focus_label=FOUNDATION_LABELS[focus])
    else:
        payload = views.reflection_prompt(rendered)
    return Outgoing(payload, prompt_id=prompt.id, prompt_kind=kind)


def digest_data(ctx: BotContext, team_id: str, week: str) -> views.DigestData | None:
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
    return views.DigestData(week=week, wins=[views.DigestWin(w.user_id, w.text) for w in wins],
                            milestones=milestones, checked_in=checked_in, people=people)


def build_digest(ctx: BotContext, team_id: str, week: str) -> Outgoing | None:
    data = digest_data(ctx, team_id, week)
    return None if data is None else Outgoing(views.team_digest(data))


# buttons ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Acting:
    """The clicking person and the prompt they clicked, once both are known to belong together."""

    person: Person
    prompt: Prompt


def acting_on(ctx: BotContext, team_id: str, user_id: str, prompt_id: str | None) -> Acting | None:
    """The clicker and the prompt, when that prompt was sent to that very person; else None.

    The user comes from the signed payload; the prompt id from the button, which anyone can
    replay. Only a prompt the bot actually sent to the clicker is accepted.
    """
    prompt = default_library().get(prompt_id) if prompt_id else None
    if prompt is None:
        return None
    with ctx.store.session() as session:
        person = people_store.find_person(session, team_id, user_id)
        if person is None or not prompt_store.was_sent(session, person.id, prompt.id):
            return None
    return Acting(person, prompt)


def record_verdict(ctx: BotContext, team_id: str, user_id: str, prompt_id: str | None, verdict: str) -> bool:
    """Store "helpful" / "not for me" from the clicker; False (nothing stored) when not theirs."""
    acting = acting_on(ctx, team_id, user_id, prompt_id)
    if acting is None:
        return False
    with ctx.store.session() as session:
        prompt_store.set_feedback(session, acting.person.id, acting.prompt.id, verdict, ctx.clock.now())
    return True


def minutes_view(ctx: BotContext, team_id: str, user_id: str, prompt_id: str | None) -> dict[str, Any] | None:
    """The "I did it" modal, pre-filled with the prompt's suggested minutes; None when not theirs."""
    acting = acting_on(ctx, team_id, user_id, prompt_id)
    if acting is None:
        return None
    return views.minutes_modal(prompt_id=acting.prompt.id, title=acting.prompt.title, minutes=acting.prompt.minutes)


def log_minutes(ctx: BotContext, team_id: str, user_id: str, prompt_id: str | None, minutes: int) -> bool:
    """Record learning minutes in the person's current week; False when the prompt is not theirs."""
    acting = acting_on(ctx, team_id, user_id, prompt_id)
    if acting is None:
        return False
    now = ctx.clock.now()
    with ctx.store.session() as session:
        prompt_store.add_learning(session, acting.person.id, week_of(now, acting.person.timezone), acting.prompt.id,
                                  minutes, now)
    return True


def reflection_view(ctx: BotContext, team_id: str, user_id: str, prompt_id: str | None) -> dict[str, Any] | None:
    """The reflection modal with the question; None when the prompt was not sent to the clicker."""
    acting = acting_on(ctx, team_id, user_id, prompt_id)
    if acting is None:
        return None
    person, prompt = acting.person, acting.prompt
    week = week_of(ctx.clock.now(), person.timezone)
    rendered = default_library().render(prompt, first_name=first_name(person.display_name),
                                track_label=TRACK_LABELS.get(person.track or "", ""), week=week)
    return views.reflection_modal(prompt_id=prompt.id, title=rendered.title, body=rendered.body)


def save_reflection(ctx: BotContext, team_id: str, user_id: str, prompt_id: str | None, text: str) -> bool:
    """Store the answer privately under the person's current week; False when not theirs."""
    acting = acting_on(ctx, team_id, user_id, prompt_id)
    if acting is None:
        return False
    now = ctx.clock.now()
    with ctx.store.session() as session:
        prompt_store.save_reflection(session, acting.person.id, week_of(now, acting.person.timezone),
                                     acting.prompt.id, text, now)
    return True
