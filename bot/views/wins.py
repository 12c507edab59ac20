"""Wins and celebrations: the win modal, what the team channel sees, and what the author is told.

A person's words are always escaped here (``bot.mrkdwn.escape``): in a celebration, text such
as ``<!channel>``, ``<@U123>`` or ``<https://…|label>`` shows as typed and pings or disguises
nothing. Only the bot's own mention of the author is markup.
"""

from __future__ import annotations

from typing import Any

from bot import limits
from bot.coaching.foundations import FOUNDATION_LABELS, FOUNDATIONS
from bot.mrkdwn import escape, quote, truncate
from bot.services.types.wins import (
    GoalPost,
    KudosPost,
    PostProblem,
    PostResult,
    SavedWin,
    TeamPost,
    WinForm,
    WinPost,
    WinShared,
)
from bot.views.blocks import Block, context, input_block, message, modal, notice, option, section, text_input
from bot.views.state import StateValues, ViewState

WIN_CALLBACK = "win_new"
CELEBRATION_REACTION = "tada"
MILESTONE_REACTION = "fire"
GOAL_REACTION = "trophy"


def check_win_text(text: str) -> str | None:
    """Why ``text`` cannot be recorded as a win, or None when it can."""
    if not text.strip():
        return "Write a few words about the win."
    if len(text) > limits.WIN_TEXT:
        return f"That is {len(text):,} characters; keep a win under {limits.WIN_TEXT:,}."
    return None


# the modal ----------------------------------------------------------------------------------
def build_win_modal(*, celebrate_publicly: bool) -> dict[str, Any]:
    """``/lead win`` with no text: the win, whether to share it, and optionally its foundation."""
    share_option = option("Share it with my team", "yes")
    share: dict[str, Any] = {"type": "checkboxes", "action_id": "value", "options": [share_option]}
    if celebrate_publicly:
        share["initial_options"] = [share_option]
        hint = "Shared wins are posted in the team channel with a mention of you."
    else:
        hint = "Your public celebrations are off, so this starts unticked; ticking it shares this one win."
    foundation_options = [option(FOUNDATION_LABELS[key], key) for key in FOUNDATIONS]
    blocks: list[Block] = [
        section("Finished something hard, helped someone grow, handed work over well? Write it down: "
                "wins are easy to forget and good to look back on."),
        input_block("text", "Your win", text_input("value", multiline=True, max_length=limits.WIN_TEXT,
                                                   placeholder="e.g. Led my first design review without jumping in")),
        input_block("share", "Share", share, optional=True, hint=hint),
        input_block("foundation", "Which foundation does it show?",
                    {"type": "static_select", "action_id": "value", "options": foundation_options,
                     "placeholder": {"type": "plain_text", "text": "Optional"}},
                    optional=True),
    ]
    return modal(WIN_CALLBACK, "Record a win", blocks, submit="Save win")


def parse_win(values: StateValues) -> tuple[WinForm | None, dict[str, str]]:
    state = ViewState(values)
    text = state.text("text").strip()
    problem = check_win_text(text)
    if problem:
        return None, {"text": problem}
    share = "yes" in state.selections("share")
    foundation = state.selected("foundation")
    if foundation is not None and foundation not in FOUNDATIONS:
        return None, {"foundation": "Pick one of the four foundations, or none."}
    return WinForm(text=text, share=share, foundation=foundation), {}


# team-channel posts -------------------------------------------------------------------------
def win_celebration(*, user_id: str, text: str, foundation: str | None = None,
                    streak: int | None = None) -> dict[str, Any]:
    """The team-channel post for a shared win."""
    blocks: list[Block] = [section(f":tada: <@{user_id}> has a win to share!\n{quote(text)}")]
    notes = []
    if foundation in FOUNDATION_LABELS:
        notes.append(f"Foundation: *{FOUNDATION_LABELS[foundation]}*")
    if streak and streak >= 2:
        notes.append(f":fire: {streak}-week check-in streak")
    notes.append("Reply in the thread to cheer them on.")
    blocks.append(context(" · ".join(notes)))
    return message(f"A win from <@{user_id}>: {truncate(escape(text), 200)}", blocks)


_MILESTONE_LINES = {
    4: "Four weeks in a row: a month of looking back honestly. That is how habits start.",
    8: "Eight weeks without a gap. This is a habit now, not a resolution.",
    12: "Twelve weeks straight: a whole quarter of steady reflection and small steps.",
    26: "Half a year of weekly check-ins. That kind of follow-through is what teams trust leads for.",
    52: "A full year, every single week. Rare consistency, and a great story to tell a junior.",
}


def milestone_post(*, user_id: str, weeks: int) -> dict[str, Any]:
    """The team-channel post when a person's check-in streak reaches a milestone."""
    line = _MILESTONE_LINES.get(weeks, "Week after week of showing up. Well done.")
    blocks: list[Block] = [section(f":fire: <@{user_id}> just reached a *{weeks}-week* check-in streak!\n{line}"),
                           context("Streaks count consecutive weeks with a check-in; pauses don't break them.")]
    return message(f"{weeks}-week check-in streak for <@{user_id}>!", blocks)


def goal_done_post(*, user_id: str, title: str, foundation: str | None) -> dict[str, Any]:
    """The team-channel post when a person finishes a goal."""
    blocks: list[Block] = [section(f":trophy: <@{user_id}> reached a goal!\n{quote(title)}")]
    if foundation in FOUNDATION_LABELS:
        blocks.append(context(f"Foundation: *{FOUNDATION_LABELS[foundation]}*"))
    return message(f"<@{user_id}> reached a goal: {truncate(escape(title), 200)}", blocks)


def team_post(post: TeamPost) -> dict[str, Any]:
    """The message for a celebration a service asked for."""
    if isinstance(post, WinPost):
        return win_celebration(user_id=post.user_id, text=post.text, foundation=post.foundation, streak=post.streak)
    if isinstance(post, GoalPost):
        return goal_done_post(user_id=post.user_id, title=post.title, foundation=post.foundation)
    if isinstance(post, KudosPost):
        from bot.views.kudos import kudos_post  # kudos views import this module's neighbours, not the reverse

        return kudos_post(giver=post.giver, recipient=post.recipient, text=post.text)
    return milestone_post(user_id=post.user_id, weeks=post.weeks)


def reaction(post: TeamPost) -> str:
    """The emoji the bot adds to its own celebration."""
    if isinstance(post, WinPost):
        return CELEBRATION_REACTION
    if isinstance(post, GoalPost):
        return GOAL_REACTION
    if isinstance(post, KudosPost):
        return "sparkles"
    return MILESTONE_REACTION


def post_problem_text(result: PostResult) -> str:
    """Why a celebration did not reach the team channel, and what to do about it."""
    if result.problem is PostProblem.NO_CHANNEL:
        return "No team channel is set yet; an admin can set one with `/lead config`."
    if result.problem is PostProblem.NOT_IN_CHANNEL:
        return f"I'm not in <#{result.channel}> yet; invite me with `/invite @lead-bot`."
    return "Slack refused the post, so nothing reached the team channel."


# replies to the author ------------------------------------------------------------------------
SETTINGS_HINT = "Turn public celebrations back on in `/lead settings` whenever you like."


def win_recorded_text(*, shared: bool, channel: str | None, problem: str | None = None,
                      celebrations_off: bool = False) -> str:
    """What the author is told after recording a win."""
    if shared and channel and not problem:
        return f":tada: Win saved and shared with your team in <#{channel}>."
    if shared and problem:
        return f"Win saved, but I couldn't share it: {problem}"
    if celebrations_off:
        return ("Win saved privately: your public celebrations are off, so I didn't post it. "
                + SETTINGS_HINT)
    return "Win saved privately: nobody else sees it. Your latest wins are on your App Home (lead-bot's Home tab)."


def win_saved_reply(saved: SavedWin) -> dict[str, Any]:
    """``/lead win <text>``'s answer, sent before the win is shared."""
    if not saved.shared:
        return notice(win_recorded_text(shared=False, channel=None, celebrations_off=saved.celebrations_off))
    if saved.channel is None:
        problem = "no team channel is set yet; an admin can set one with `/lead config`."
        return notice(win_recorded_text(shared=True, channel=None, problem=problem))
    return notice(win_recorded_text(shared=True, channel=saved.channel))


def win_share_failed(shared: WinShared) -> dict[str, Any] | None:
    """After ``/lead win <text>``: the note that sharing failed after all, or None when there is nothing to add."""
    post = shared.post
    if post is None or post.posted or shared.saved.channel is None:
        return None
    return notice(win_recorded_text(shared=True, channel=shared.saved.channel, problem=post_problem_text(post)))


def win_saved_dm(shared: WinShared) -> dict[str, Any]:
    """The DM after the win modal: saved, and shared or kept private."""
    post = shared.post
    if not shared.saved.shared or post is None:
        return notice(win_recorded_text(shared=False, channel=None))
    return notice(win_recorded_text(shared=True, channel=post.channel,
                                    problem=None if post.posted else post_problem_text(post)))
