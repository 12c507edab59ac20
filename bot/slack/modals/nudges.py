"""Modals opened from scheduled prompts: logging learning minutes, answering a reflection."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from slack_bolt import Ack, App, BoltContext

from bot.services import nudges as nudge_service
from bot.services.context import BotContext
from bot.slack.identity import team_and_user
from bot.slack.modals.common import accepted
from bot.views import nudges as views
from bot.views.state import StateValues

ERROR_FIELDS = {views.MINUTES_CALLBACK: "minutes", views.REFLECTION_CALLBACK: "answer"}
Answer = TypeVar("Answer")


def register(app: App, ctx: BotContext) -> None:
    def answered(parse: Callable[[StateValues], tuple[Answer | None, dict[str, str]]],
                 store: Callable[[BotContext, str, str, str | None, Answer], None]) -> Any:
        """A listener that parses the answer and stores it for the prompt named in the metadata."""
        def submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
            answer = accepted(ack, parse(view["state"]["values"]))
            if answer is None:
                return
            team_id, user_id = team_and_user(context, body)
            store(ctx, team_id, user_id, views.prompt_from_metadata(view.get("private_metadata") or ""), answer)
            ack()
        return submitted

    app.view(views.MINUTES_CALLBACK)(answered(views.parse_minutes_form, nudge_service.log_minutes))
    app.view(views.REFLECTION_CALLBACK)(answered(views.parse_reflection_form, nudge_service.save_reflection))
