"""The App Home dashboard: streak, this week's check-in, latest ratings."""

from __future__ import annotations

from typing import Any

from bot.coaching.foundations import FOUNDATION_LABELS, FOUNDATIONS, TRACK_LABELS
from bot.mrkdwn import escape
from bot.services.types.home import HomeData
from bot.views.blocks import Block, button, context, divider, fields, header, section
from bot.views.checkin import OPEN_ACTION, open_checkin_button


def rating_bar(value: int) -> str:
    """A five-dot bar, e.g. ●●●○○ for 3."""
    return "●" * value + "○" * (5 - value)


def build_home(data: HomeData) -> dict[str, Any]:
    blocks: list[Block] = [header("Your leadership dashboard")]
    profile = []
    if data.track:
        profile.append(f"Track: *{TRACK_LABELS[data.track]}*")
    if data.focus:
        profile.append(f"Focus: *{FOUNDATION_LABELS[data.focus]}*")
    if profile:
        blocks.append(context(" · ".join(profile)))
    else:
        blocks.append(context("Run `/lead start` to pick a track and a focus."))
    if data.paused_until:
        blocks.append(section(f":double_vertical_bar: Paused until *{data.paused_until:%a %d %b}*. "
                              "Your streak is kept; `/lead resume` ends the pause."))
    current = f"{data.current_streak} week{'s' if data.current_streak != 1 else ''}"
    blocks.append(fields(f"*Current streak*\n:fire: {current}",
                         f"*Longest streak*\n{data.longest_streak} week{'s' if data.longest_streak != 1 else ''}"))
    if data.checked_in:
        blocks.append(section(f":white_check_mark: You checked in for *{data.week}*.",
                              accessory=button("Update check-in", OPEN_ACTION, "checkin")))
    else:
        blocks.append(section(f":hourglass_flowing_sand: No check-in yet for *{data.week}*."))
        blocks.append(open_checkin_button())
    blocks.append(divider())
    if data.latest_ratings:
        lines = [f"`{rating_bar(data.latest_ratings[key])}` {FOUNDATION_LABELS[key]}" for key in FOUNDATIONS]
        blocks.append(section(f"*Latest ratings* ({data.latest_week})\n" + "\n".join(lines)))
    else:
        blocks.append(section("*Latest ratings*\nYour ratings will show here after your first check-in."))
    if data.goals:
        blocks.append(divider())
        lines = [f"• {escape(goal.title)} · {goal.progress}%" + (f" · due {goal.due:%d %b}" if goal.due else "")
                 for goal in data.goals[:10]]
        blocks.append(section("*Active goals*\n" + "\n".join(lines)))
    blocks.append(context("Your ratings and reflections are visible only to you."))
    return {"type": "home", "blocks": blocks}
