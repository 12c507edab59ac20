"""``/lead chart``: the progress picture, now, in the person's DM with the bot."""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError, SlackRequestError

from bot.services import progress as progress_service
from bot.services.people import ensure_person
from bot.slack.commands.request import CommandRequest
from bot.slack.picture import picture_message
from bot.views import nudges as views
from bot.views.blocks import notice

log = logging.getLogger(__name__)


def chart(req: CommandRequest) -> None:
    person = ensure_person(req.ctx, req.client, req.team_id, req.user_id)
    picture = progress_service.picture_for(req.ctx, person)
    if picture is None:
        req.ack(**notice(views.CHART_NOTHING_YET))
        return
    # Ack before drawing: drawing and uploading take longer than Slack waits for an answer.
    req.ack(**notice(views.CHART_ON_ITS_WAY))
    try:
        req.client.chat_postMessage(channel=req.user_id, unfurl_links=False, unfurl_media=False,
                                    **picture_message(req.client, picture, monthly=False))
    except (SlackApiError, SlackRequestError) as exc:
        error = exc.response.get("error") if isinstance(exc, SlackApiError) else type(exc).__name__
        log.warning("sending the progress picture to %s failed: %s", req.user_id, error)
        req.respond(**notice(views.CHART_FAILED), response_type="ephemeral", replace_original=False)
