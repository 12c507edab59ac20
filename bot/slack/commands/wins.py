"""``/lead win [text]``: with text, record the win and share it at once; alone, open the win modal."""

from __future__ import annotations

from bot.services import wins as win_service
from bot.services.people import ensure_person
from bot.slack.commands.request import CommandRequest
from bot.slack.surfaces import open_modal
from bot.slack.team_channel import SlackTeamChannel
from bot.views.blocks import notice
from bot.views.wins import build_win_modal, check_win_text, win_saved_reply, win_share_failed


def win(req: CommandRequest) -> None:
    if not req.args:
        req.ack()  # the trigger id is only good for 3 seconds
        open_modal(req.ctx, req.client, req.team_id, req.user_id, req.trigger_id,
                   lambda person: build_win_modal(celebrate_publicly=person.celebrate_publicly))
        return
    problem = check_win_text(req.args)
    if problem:
        req.ack(**notice(f"{problem} Nothing was saved."))
        return
    saved = win_service.save_text(req.ctx, ensure_person(req.ctx, req.client, req.team_id, req.user_id), req.args)
    # Answer now, post after: Slack wants the acknowledgement within 3 seconds.
    req.ack(**win_saved_reply(saved))
    failed = win_share_failed(win_service.follow_up(req.ctx, SlackTeamChannel(req.client, req.ctx, req.team_id), saved))
    if failed is not None:
        req.respond(**failed, response_type="ephemeral", replace_original=False)

