"""The buttons on the ``/lead goals`` list: update progress, mark done, archive.

Listeners stay thin: who is acting comes from the signed payload, and the goal service refuses a
goal that isn't theirs whatever id the button carried (NotYours, answered by ``bot/slack/errors.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.services import goals as goal_service
from bot.services.context import BotContext
from bot.services.types.goals import GoalChange, GoalSummary, Outcome
from bot.services.types.people import PersonRecord
from bot.slack.identity import action_value, team_and_user
from bot.slack.surfaces import goals_list, publish_home
from bot.slack.team_channel import SlackTeamChannel
from bot.views import goals as goal_view
from bot.views.state import parse_id


def _goal_id(body: dict[str, Any]) -> int | None:
    return parse_id(action_value(body))


def register(app: App, ctx: BotContext) -> None:
    @app.action(goal_view.ACTION_PROGRESS)
    def progress_clicked(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext,
                         respond: Respond) -> None:
        ack()
        team_id, user_id = team_and_user(context, body)
        person = goal_service.find_person(ctx, team_id, user_id)
        change = goal_service.goal_to_update(ctx, person, _goal_id(body))
        if change.outcome is not Outcome.CHANGED or change.goal is None:
            respond(**goal_view.refusal_message(change.outcome), response_type="ephemeral", replace_original=False)
            return
        client.views_open(trigger_id=body["trigger_id"],
                          view=goal_view.build_progress_modal(change.goal, response_url=body.get("response_url")))

    @app.action(goal_view.ACTION_DONE)
    def done_clicked(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext,
                     respond: Respond) -> None:
        ack()
        team_id, user_id = team_and_user(context, body)
        person = goal_service.find_person(ctx, team_id, user_id)
        change = goal_service.finish_goal(ctx, SlackTeamChannel(client, ctx, team_id), person, _goal_id(body))
        _answer(ctx, client, respond, person, change, lambda goal: goal_view.done_note(goal, change))

    @app.action(goal_view.ACTION_ARCHIVE)
    def archive_clicked(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext,
                        respond: Respond) -> None:
        ack()
        team_id, user_id = team_and_user(context, body)
        person = goal_service.find_person(ctx, team_id, user_id)
        change = goal_service.archive_goal(ctx, person, _goal_id(body))
        _answer(ctx, client, respond, person, change, goal_view.archived_note)


def _answer(ctx: BotContext, client: WebClient, respond: Respond, person: PersonRecord | None,
            change: GoalChange, note: Callable[[GoalSummary], str]) -> None:
    """Replace the list with a fresh one (and a note), or say why nothing changed."""
    if change.outcome is Outcome.MISSING or person is None:
        respond(**goal_view.refusal_message(change.outcome), response_type="ephemeral", replace_original=False)
        return
    text = note(change.goal) if change.outcome is Outcome.CHANGED and change.goal else (
        goal_view.refusal_text(Outcome.NOT_ACTIVE))
    respond(**goals_list(ctx, person, text), replace_original=True)
    if change.outcome is Outcome.CHANGED:
        publish_home(ctx, client, person.team_id, person.user_id)
