"""``/lead review``: the growth review, opened pre-filled with the latest self-assessment."""

from __future__ import annotations

from bot.slack.commands.request import CommandRequest
from bot.slack.surfaces import open_growth_review
from bot.views.blocks import notice
from bot.views.review import NO_FIRST_ASSESSMENT


def review(req: CommandRequest) -> None:
    # Ack first: the trigger id is only good for 3 seconds.
    req.ack()
    if not open_growth_review(req.ctx, req.client, req.team_id, req.user_id, req.trigger_id):
        req.respond(**notice(NO_FIRST_ASSESSMENT), response_type="ephemeral")
