"""Messages the bot posts or answers with: help, check-in confirmations, stats."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.coaching.foundations import FOUNDATION_LABELS, FOUNDATIONS
from bot.mrkdwn import escape, truncate
from bot.services.types.checkins import CheckinResult
from bot.services.types.home import StatsData
from bot.views.blocks import Block, context, fields, header, message, section
from bot.views.review import checkin_focus_offer
from bot.views.wins import post_problem_text


def help_message(commands: Sequence[tuple[str, str]], not_understood: str | None = None) -> dict[str, Any]:
    """The help text listing ``commands`` (usage, description); with ``not_understood``, say so first."""
    blocks: list[Block] = []
    if not_understood is not None:
        blocks.append(section(f":thinking_face: I didn't understand `{escape(truncate(not_understood, 100))}`. "
                              "Here is what I can do:"))
    else:
        blocks.append(section("*lead-bot* helps you grow toward a hybrid role: keep your technical depth, build "
                              "leadership one week at a time."))
    lines = "\n".join(f"`/lead {usage}` · {text}" for usage, text in commands)
    blocks.append(section(lines))
    blocks.append(context("Your ratings and reflections are private. Only wins you choose to share reach the team."))
    fallback = "I didn't understand that. " if not_understood is not None else ""
    return message(fallback + "lead-bot commands: " + ", ".join(usage.split()[0] for usage, _ in commands), blocks)


def checkin_saved_message(result: CheckinResult) -> dict[str, Any]:
    """The DM after a check-in: the streak, one line of encouragement, what became of the win."""
    week, streak, longest = result.week, result.streak, result.longest
    verb = "updated" if result.updated else "saved"
    flame = ":fire: " if streak >= 2 else ""
    streak_text = f"{flame}*{streak}-week streak*" + (f" (longest: {longest})" if longest > streak else "")
    blocks = [section(f":white_check_mark: Check-in for *{week}* {verb}. {streak_text}"), section(result.encouragement)]
    if result.focus_offer is not None:
        blocks += checkin_focus_offer(result.focus_offer)
    notes = _checkin_notes(result)
    if notes:
        blocks.append(context(" ".join(notes)))
    return message(f"Check-in for {week} {verb}: {streak}-week streak. {result.encouragement}", blocks)


def _checkin_notes(result: CheckinResult) -> list[str]:
    notes = []
    if result.has_win:
        post = result.win_post
        if post is None:
            notes.append("Your win is saved privately.")
        elif post.posted:
            notes.append(":tada: Your win is on the team channel.")
        else:
            notes.append(f"Your win is saved. {post_problem_text(post)}")
    if result.milestone_celebrated:
        notes.append(f":fire: Your {result.milestone_celebrated}-week streak is being celebrated on the team channel.")
    if result.pause_ended:
        notes.append("Welcome back: checking in ended your pause.")
    return notes


def stats_message(data: StatsData) -> dict[str, Any]:
    """``/lead stats``: streaks, a four-week grid of ratings and the learning minutes."""
    blocks: list[Block] = [header("Your progress"),
                           fields(f"*Current streak*\n{data.current} week{'s' if data.current != 1 else ''}",
                                  f"*Longest streak*\n{data.longest} week{'s' if data.longest != 1 else ''}")]
    if not data.total_checkins:
        blocks.append(section("No check-ins yet. Run `/lead checkin` to record your first week."))
        return message(f"Streak {data.current} weeks, longest {data.longest}. No check-ins yet.", blocks)
    blocks.append(section("*Last four weeks* (1–5)\n```" + _grid(data) + "```"))
    total = sum(data.minutes.get(week, 0) for week in data.weeks)
    blocks.append(context(f":books: {total} learning minutes over these four weeks · "
                          f"{data.total_checkins} check-in{'s' if data.total_checkins != 1 else ''} in all"))
    return message(f"Streak {data.current} weeks (longest {data.longest}); {total} learning minutes in four weeks.",
                   blocks)


def _grid(data: StatsData) -> str:
    label_width = max(len(FOUNDATION_LABELS[k]) for k in FOUNDATIONS)
    head = " " * label_width + "".join(f"  {week[-3:]:>3}" for week in data.weeks)
    rows = [head]
    for key in FOUNDATIONS:
        cells = "".join(f"  {str(data.ratings.get(week, {}).get(key, '·')):>3}" for week in data.weeks)
        rows.append(f"{FOUNDATION_LABELS[key]:<{label_width}}{cells}")
    minutes = "".join(f"  {str(data.minutes[week]) if week in data.minutes else '·':>3}" for week in data.weeks)
    rows.append(f"{'Learning minutes':<{label_width}}{minutes}")
    return "\n".join(rows)
