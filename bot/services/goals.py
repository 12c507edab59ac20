"""Goals: create, list, update progress, finish (with a celebration) and archive.

Who may change a goal is decided here, from the person the signed Slack payload names. The goal
id comes from a button value or modal metadata, which a replayed payload can carry to anyone;
every change is therefore filtered on the acting person's id, and a goal that belongs to someone
else is left untouched (:class:`~bot.errors.NotYours`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.errors import NotYours, Owned
from bot.services.celebrations import celebrate_goal, celebrates_publicly
from bot.services.context import BotContext
from bot.services.types.goals import GoalChange, GoalForm, GoalSummary, Outcome, ProgressInput
from bot.services.types.people import PersonRecord
from bot.services.types.wins import GoalPost, TeamChannel
from bot.store import goals as goal_store
from bot.store import people as people_store
from bot.store.records import GoalRecord

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


def summary(goal: GoalRecord) -> GoalSummary:
    return GoalSummary(id=goal.id, title=goal.title, foundation=goal.foundation, progress=goal.progress,
                       status=goal.status, measure=goal.measure, target=goal.target, current=goal.current,
                       due=goal.due)


def find_person(ctx: BotContext, team_id: str, user_id: str) -> PersonRecord | None:
    """The acting person, without creating one: someone unknown owns no goals."""
    with ctx.store.session() as session:
        return people_store.find_person(session, team_id, user_id)


def create_goal(ctx: BotContext, person: PersonRecord, form: GoalForm) -> GoalSummary:
    with ctx.store.session() as session:
        goal = goal_store.add_goal(session, person.id, title=form.title, foundation=form.foundation,
                                   measure=form.measure, target=form.target, due=form.due,
                                   created_at=ctx.clock.now())
        return summary(goal)


def active_goals(ctx: BotContext, person: PersonRecord) -> list[GoalSummary]:
    with ctx.store.session() as session:
        return [summary(goal) for goal in goal_store.active_goals(session, person.id)]


def _refusal(session: Session, goal_id: int | None) -> GoalChange:
    """MISSING for a goal nobody has; NotYours for someone else's."""
    if goal_id is not None and goal_store.goal_exists(session, goal_id):
        raise NotYours(Owned.GOAL)
    return GoalChange(Outcome.MISSING)


def goal_to_update(ctx: BotContext, person: PersonRecord | None, goal_id: int | None) -> GoalChange:
    """The goal the progress modal is about, when ``person`` may update it."""
    with ctx.store.session() as session:
        goal = goal_store.owned_goal(session, person.id, goal_id) if person and goal_id else None
        if goal is None:
            return _refusal(session, goal_id)
        if goal.status != goal_store.ACTIVE:
            return GoalChange(Outcome.NOT_ACTIVE, summary(goal))
        return GoalChange(Outcome.CHANGED, summary(goal))


def update_progress(ctx: BotContext, person: PersonRecord | None, goal_id: int | None,
                    update: ProgressInput) -> GoalChange:
    with ctx.store.session() as session:
        if person is None or goal_id is None or goal_store.owned_goal(session, person.id, goal_id) is None:
            return _refusal(session, goal_id)
        goal = goal_store.set_progress(session, person.id, goal_id, progress=update.progress, current=update.current)
        if goal is None:
            return GoalChange(Outcome.NOT_ACTIVE)
        return GoalChange(Outcome.CHANGED, summary(goal))


def target_of(ctx: BotContext, person: PersonRecord | None, goal_id: int | None) -> int | None:
    """The target of the goal a progress submission is about; NotYours unless ``person`` owns it."""
    with ctx.store.session() as session:
        goal = goal_store.owned_goal(session, person.id, goal_id) if person and goal_id else None
    if goal is None:
        raise NotYours(Owned.GOAL)
    return goal.target


def _owned_summary(session: Session, person_id: int, goal_id: int) -> GoalSummary:
    """The summary of a goal the caller has just checked is the person's (it cannot vanish meanwhile)."""
    goal = goal_store.owned_goal(session, person_id, goal_id)
    if goal is None:
        raise NotYours(Owned.GOAL)
    return summary(goal)


def finish_goal(ctx: BotContext, team: TeamChannel, person: PersonRecord | None, goal_id: int | None
                ) -> GoalChange:
    """Mark the goal done and, if this request is the one that did, celebrate it (when allowed)."""
    with ctx.store.session() as session:
        if person is None or goal_id is None or goal_store.owned_goal(session, person.id, goal_id) is None:
            return _refusal(session, goal_id)
        changed = goal_store.finish(session, person.id, goal_id, ctx.clock.now())
        goal = _owned_summary(session, person.id, goal_id)
    if not changed:
        return GoalChange(Outcome.NOT_ACTIVE, goal)
    if not celebrates_publicly(ctx, person.team_id, person.user_id):
        return GoalChange(Outcome.CHANGED, goal, private=True)
    result = celebrate_goal(ctx, team, person.team_id,
                            GoalPost(user_id=person.user_id, title=goal.title, foundation=goal.foundation))
    return GoalChange(Outcome.CHANGED, goal, celebration=result)


def archive_goal(ctx: BotContext, person: PersonRecord | None, goal_id: int | None) -> GoalChange:
    with ctx.store.session() as session:
        if person is None or goal_id is None or goal_store.owned_goal(session, person.id, goal_id) is None:
            return _refusal(session, goal_id)
        changed = goal_store.archive(session, person.id, goal_id)
        goal = _owned_summary(session, person.id, goal_id)
    return GoalChange(Outcome.CHANGED if changed else Outcome.NOT_ACTIVE, goal)
