"""``/lead win [text]``: with text, record the win and share it at once; alone, open the win modal."""

from __future__ import annotations

from bot.services import celebrations
from bot.services.people import ensure_person
from bot.slack.commands.request import CommandRequest, Subcommand
from bot.views.blocks import notice
from bot.views.wins import build_win_modal, check_win_text, win_recorded_text


def win(req: CommandRequest) -> None:
    if not req.args:
        req.ack()  # the trigger id is only good for 3 seconds
        person = ensure_person(req.ctx, req.client, req.team_id, req.user_id)
        req.client.views_open(trigger_id=req.trigger_id,
                              view=build_win_modal(celebrate_publicly=person.celebrate_publicly))
        return
    problem = check_win_text(req.args)
    if problem:
        req.ack(**notice(f"{problem} Nothing was saved."))
        return
    person = ensure_person(req.ctx, req.client, req.team_id, req.user_id)
    share = person.celebrate_publicly
    saved = celebrations.save_win(req.ctx, person, req.args, share=share)
    if not share:
        req.ack(**notice(win_recorded_text(shared=False, channel=None, celebrations_off=True)))
        return
    channel = celebrations.team_channel(req.ctx, req.team_id)
    if channel is None:
        problem = "no team channel is set yet; an admin can set one with `/lead config`."
        req.ack(**notice(win_recorded_text(shared=True, channel=None, problem=problem)))
        return
    # Answer now, post after: Slack wants the acknowledgement within 3 seconds.
    req.ack(**notice(win_recorded_text(shared=True, channel=channel)))
    result = celebrations.share_win(req.ctx, req.client, req.team_id, req.user_id, saved.win_id, req.args,
                                    streak=saved.streak)
    if not result.posted:
        req.respond(**notice(win_recorded_text(shared=True, channel=channel, problem=result.problem)),
                    response_type="ephemeral", replace_original=False)


SUBCOMMANDS: dict[str, Subcommand] = {"win": win}
