"""Recording a win (``/lead win``, the win modal) and sharing it with the team afterwards.

Saving is the database's part and comes before the acknowledgement; sharing talks to Slack and
comes after it (:func:`follow_up`), so a slow post never makes Slack wait.
"""

from __future__ import annotations

from bot.services import celebrations
from bot.services.checkins import streak_of
from bot.services.context import BotContext
from bot.services.people import current_week
from bot.services.types.people import PersonRecord
from bot.services.types.wins import PostProblem, PostResult, SavedWin, TeamChannel, WinForm, WinPost, WinShared
from bot.store import people as people_store
from bot.store import wins as win_store


def save(ctx: BotContext, person: PersonRecord, form: WinForm) -> SavedWin:
    """Store the win from the modal; it is shared when the person ticked "share"."""
    return _save(ctx, person, form, celebrations_off=False)


def save_text(ctx: BotContext, person: PersonRecord, text: str) -> SavedWin:
    """``/lead win <text>``: shared at once when the person celebrates publicly, else kept private."""
    share = person.celebrate_publicly
    return _save(ctx, person, WinForm(text=text, share=share, foundation=None), celebrations_off=not share)


def _save(ctx: BotContext, person: PersonRecord, form: WinForm, *, celebrations_off: bool) -> SavedWin:
    """Store a win in this week's record (the person's week, in their time zone)."""
    now, week = ctx.clock.now(), current_week(ctx, person)
    with ctx.store.session() as session:
        win = win_store.add_win(session, person.id, form.text, shared=form.share, week=week, created_at=now,
                                foundation=form.foundation)
        streak = streak_of(session, person, week).current
        workspace = people_store.get_or_create_workspace(session, person.team_id, now)
    return SavedWin(win_id=win.id, team_id=person.team_id, user_id=person.user_id, text=form.text,
                    foundation=form.foundation, shared=form.share, streak=streak,
                    channel=workspace.team_channel or ctx.settings.default_team_channel,
                    celebrations_off=celebrations_off)


def follow_up(ctx: BotContext, team: TeamChannel, saved: SavedWin) -> WinShared:
    """Share the saved win when it is to be shared; the result says whether it reached the channel."""
    if not saved.shared:
        return WinShared(saved, None)
    if saved.channel is None:
        return WinShared(saved, PostResult(False, problem=PostProblem.NO_CHANNEL))
    post = WinPost(user_id=saved.user_id, text=saved.text, foundation=saved.foundation, streak=saved.streak)
    return WinShared(saved, celebrations.share_win(ctx, team, saved.team_id, saved.win_id, post))
