"""Kudos: the modal, the replies to the giver, the recipient's DM and the team-channel post.

The thanks are a person's words: always escaped, so ``<!channel>``, ``<!here>`` or ``{{ }}`` show as
typed and ping or render nothing. The only mentions are the giver's and the recipient's, which
the bot writes itself.
"""

from __future__ import annotations

from typing import Any, Final

from bot import limits
from bot.mrkdwn import escape, quote, truncate
from bot.services.types.pairing import KudosForm, KudosGiven, KudosLine, KudosRefusal
from bot.services.types.wins import PostResult
from bot.views.blocks import (
    Block,
    actions,
    button,
    context,
    input_block,
    message,
    modal,
    notice,
    option,
    section,
    text_input,
)
from bot.views.state import StateValues, ViewState

KUDOS_CALLBACK: Final = "kudos_new"
SHARE_ACTION: Final = "kudos_share"
KUDOS_REACTION: Final = "sparkles"
USAGE: Final = "`/lead kudos @someone what you thank them for`, or `/lead kudos` alone for a form."

REFUSALS: Final[dict[KudosRefusal, str]] = {
    KudosRefusal.NO_RECIPIENT: "Start with the person you thank: " + USAGE,
    KudosRefusal.NO_TEXT: "Add what you thank them for: " + USAGE,
    KudosRefusal.TOO_LONG: f"Keep kudos under {limits.KUDOS_TEXT:,} characters.",
    KudosRefusal.SELF: "Kudos are for thanking someone else. Record your own good work with `/lead win`.",
    KudosRefusal.BOT: "Kudos are for people; bots can't read them.",
    KudosRefusal.GONE: "That account is deactivated, so there is nobody to tell.",
    KudosRefusal.UNKNOWN: "I couldn't confirm who that is with Slack.",
}


def refusal_text(refusal: KudosRefusal) -> str:
    return f"{REFUSALS[refusal]} Nothing was sent or saved."


# the modal -------------------------------------------------------------------------------------------------
def kudos_modal() -> dict[str, Any]:
    share = {"type": "checkboxes", "action_id": "value", "options": [option("Show it in the team channel too", "yes")]}
    blocks: list[Block] = [
        input_block("recipient", "Who do you want to thank?", {"type": "users_select", "action_id": "value",
                                                                "placeholder": {"type": "plain_text",
                                                                                "text": "Choose a teammate"}}),
        input_block("text", "What for?", text_input("value", multiline=True, max_length=limits.KUDOS_TEXT,
                                                    placeholder="e.g. Your review taught me more than the ticket")),
        input_block("share", "Team channel", share, optional=True,
                    hint="They always get it in a DM. Ticked, the team channel sees it too, with both your names."),
    ]
    return modal(KUDOS_CALLBACK, "Give kudos", blocks, submit="Send")


def parse_kudos_form(values: StateValues) -> tuple[KudosForm | None, dict[str, str]]:
    state = ViewState(values)
    recipient = state.user("recipient")
    text = state.text("text").strip()
    if recipient is None:
        return None, {"recipient": "Choose the person you want to thank."}
    if not text:
        return None, {"text": "Write a few words about what you thank them for."}
    if len(text) > limits.KUDOS_TEXT:
        return None, {"text": f"Keep kudos under {limits.KUDOS_TEXT:,} characters."}
    return KudosForm(recipient=recipient, text=text, share="yes" in state.selections("share")), {}


# what people see -------------------------------------------------------------------------------------------
def kudos_dm(given: KudosGiven) -> dict[str, Any]:
    """The recipient's DM."""
    blocks: list[Block] = [section(f":sparkles: <@{given.giver}> thanks you:\n{quote(given.text)}", block_id="kudos"),
                           context("Kudos you receive are listed on your lead-bot App Home.")]
    return message(f"Kudos from <@{given.giver}>: {truncate(escape(given.text), 200)}", blocks)


def kudos_post(*, giver: str, recipient: str, text: str) -> dict[str, Any]:
    """The team-channel post the giver asked for."""
    blocks: list[Block] = [section(f":sparkles: <@{giver}> thanks <@{recipient}>:\n{quote(text)}", block_id="kudos")]
    return message(f"Kudos from <@{giver}> to <@{recipient}>: {truncate(escape(text), 200)}", blocks)


def kudos_sent(given: KudosGiven, post: PostResult | None) -> dict[str, Any]:
    """The giver's ephemeral answer; offers the team channel when they did not choose it yet."""
    text = f":sparkles: Sent: <@{given.recipient}> gets your thanks in a DM."
    if given.shared and post is not None and post.posted:
        return notice(text + f" The team sees it in <#{post.channel}> too.")
    if given.shared:
        return notice(text + " " + _not_posted(post))
    if given.channel is None:
        return notice(text + " Only the two of you see it.")
    blocks: list[Block] = [section(text + " Only the two of you see it, unless you show the team.", block_id="sent"),
                           actions(button("Show the team too", SHARE_ACTION, str(given.kudos_id)), block_id="share")]
    return message(text, blocks)


def kudos_shared_note(post: PostResult | None) -> dict[str, Any]:
    if post is not None and post.posted:
        return notice(f":sparkles: Shared in <#{post.channel}>.")
    return notice(_not_posted(post))


def _not_posted(post: PostResult | None) -> str:
    if post is None or post.channel is None:
        return ("No team channel is set yet, so the team didn't see it; an admin can set one with "
                "`/lead config`.")
    return f"I couldn't post in <#{post.channel}>; invite me with `/invite @lead-bot`."


def received_lines(lines: list[KudosLine]) -> str:
    """The App Home's "kudos received" section text."""
    if not lines:
        return "*Kudos received*\nNone yet. Thank someone with `/lead kudos`: it tends to come back."
    items = "\n".join(f"• <@{line.giver}>: {escape(truncate(' '.join(line.text.split()), 200))}" for line in lines)
    return "*Kudos received*\n" + items
