"""Export and forget: what the person sees before and after their data leaves or is erased."""

from __future__ import annotations

from typing import Any

from bot.services.types.privacy import Forgotten
from bot.views.blocks import Block, actions, button, context, header, message, notice, section

ACTION_FORGET_CONFIRM = "forget_confirm"
ACTION_FORGET_CANCEL = "forget_cancel"

NOTHING_STORED = ("I have nothing stored about you, so there is nothing to export or delete. "
                  "`/lead help` shows how to get started.")
FORGET_NOT_YOURS = ("That button belongs to someone else's request, so I didn't delete anything. "
                    "To delete your own data, run `/lead forget` yourself.")


def export_sending_text() -> str:
    return (":package: Putting your data together. It arrives in a minute as a JSON file in your direct "
            "messages with me (the *Messages* tab of lead-bot).")


def export_comment() -> str:
    return ("Here is everything lead-bot has stored about you: check-ins, goals, wins and settings, as JSON. "
            "Run `/lead export` again any time for a fresh copy, or `/lead forget` to delete it all.")


def export_failed_text() -> str:
    return "Slack didn't accept the file, so your export was not sent. Please try `/lead export` again later."


def forget_confirmation(user_id: str) -> dict[str, Any]:
    """The ephemeral question before deleting; the buttons act only for ``user_id``.

    The button value names who asked, so a click replayed by anyone else is refused; whose data
    is deleted always comes from the click's signed user id, never from this value.
    """
    blocks: list[Block] = [
        header("Delete everything about you?"),
        section("This permanently deletes, for you only:\n"
                "• your weekly check-ins, ratings and private reflections\n"
                "• your goals and their progress\n"
                "• your wins, and my posts of the wins you shared in the team channel\n"
                "• your learning log, pauses, settings and self-assessment\n"
                "• which prompts I sent you, your feedback on them, and my record of messages sent to you"),
        section("It cannot be undone. Want a copy first? Run `/lead export` before you confirm. "
                "Team numbers that never named you (like past digests) stay as they are."),
        actions(button("Delete everything", ACTION_FORGET_CONFIRM, user_id, style="danger"),
                button("Keep my data", ACTION_FORGET_CANCEL, user_id), block_id="forget"),
    ]
    return message("Delete everything lead-bot knows about you? This cannot be undone.", blocks)


def forget_done(result: Forgotten) -> dict[str, Any]:
    """The reply that replaces the question once the data is gone (or when there was none)."""
    if not result.found:
        return notice(NOTHING_STORED)
    posts_deleted, posts_failed = result.posts_deleted, result.posts_failed
    lines = [":wastebasket: Done. I deleted everything I had stored about you."]
    if posts_deleted:
        lines.append(f"I also removed {posts_deleted} shared win post{'s' if posts_deleted != 1 else ''} "
                     "from the team channel.")
    if posts_failed:
        lines.append(f"{posts_failed} shared win post{'s' if posts_failed != 1 else ''} could not be removed "
                     "(already deleted, or I can no longer reach the channel); a workspace admin can delete "
                     "any that remain.")
    lines.append("If you come back later, `/lead start` begins from scratch.")
    text = " ".join(lines)
    return notice(text)


def forget_cancelled() -> dict[str, Any]:
    text = "Nothing was deleted. Your data stays as it was."
    return notice(text)


def forgotten_home() -> dict[str, Any]:
    """The App Home after a person's data is erased (no dashboard to show any more)."""
    return {"type": "home", "blocks": [
        header("Your leadership dashboard"),
        section("Your data has been deleted. Run `/lead start` or `/lead checkin` whenever you want to begin again."),
        context("lead-bot keeps nothing about you until you use it again."),
    ]}
