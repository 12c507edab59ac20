"""Submissions of the new-goal modal and of the progress modal."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.services import goals as goal_service
from bot.services.context import BotContext
from bot.services.people import ensure_person, today
from bot.services.types.goals import Outcome
from bot.slack.identity import team_and_user
from bot.slack.modals.common import accepted, send_dm
from bot.slack.surfaces import goals_list, publish_home, replace_goals_list
from bot.views import goals as goal_view

ERROR_FIELDS = {goal_view.NEW_GOAL_CALLBACK: "title", goal_view.PROGRESS_CALLBACK: "progress"}


def register(app: App, ctx: BotContext) -> None:
    @app.view(goal_view.NEW_GOAL_CALLBACK)
    def goal_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient,
                       context: BoltContext) -> None:
        team_id, user_id = team_and_user(context, body)
        person = ensure_person(ctx, client, team_id, user_id)
        local_today = today(ctx, person)
        form = accepted(ack, goal_view.parse_goal(view["state"]["values"], local_today))
        if form is None:
            return
        goal = goal_service.create_goal(ctx, person, form)
        ack()
        send_dm(client, user_id, goal_view.goal_saved_message(goal, local_today), "goal confirmation")
        publish_home(ctx, client, team_id, user_id)

    @app.view(goal_view.PROGRESS_CALLBACK)
    def progress_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient,
                           context: BoltContext) -> None:
        goal_id, response_url = goal_view.progress_metadata(view.get("private_metadata") or "")
        team_id, user_id = team_and_user(context, body)
        person = goal_service.find_person(ctx, team_id, user_id)
        target = goal_service.target_of(ctx, person, goal_id)  # NotYours unless the goal is theirs
        update = accepted(ack, goal_view.parse_progress(view["state"]["values"], target))
        if update is None:
            return
        change = goal_service.update_progress(ctx, person, goal_id, update)
        if change.outcome is not Outcome.CHANGED or change.goal is None or person is None:
            ack(response_action="errors", errors={"progress": goal_view.refusal_text(change.outcome)})
            return
        ack()
        if response_url:
            replace_goals_list(response_url, goals_list(ctx, person, goal_view.progress_note(change.goal)))
        publish_home(ctx, client, team_id, user_id)
