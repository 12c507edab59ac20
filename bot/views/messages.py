"""Messages the bot posts or answers with: help, check-in confirmations, stats."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.coaching.foundations import FOUNDATION_LABELS, FOUNDATIONS, PRACTICES
from bot.mrkdwn import escape, truncate
from bot.services.types.checkins import CheckinResult
from bot.services.types.home import StatsData
from bot.views.blocks import Block, context, fields, header, message, section
from bot.views.dates import week_label, weeks_label
from bot.views.home import away_weeks_note, change_text, plural, streak_waited_text
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
    blocks.append(context("Your ratings and reflections are private. The team channel sees the wins you share and, "
                          "unless you turn public celebrations off, your streak milestones and finished goals."))
    fallback = "I didn't understand that. " if not_understood is not None else ""
    return message(fallback + "lead-bot commands: " + ", ".join(usage.split()[0] for usage, _ in commands), blocks)


def checkin_saved_message(result: CheckinResult) -> dict[str, Any]:
    """The DM after a check-in: the streak, one line of encouragement, what became of the win."""
    week, streak, longest = week_label(result.week), result.streak, result.longest
    verb = "updated" if result.updated else "saved"
    flame = ":fire: " if streak >= 2 else ""
    streak_text = f"{flame}*{streak}-week streak*" + (f" (longest: {longest})" if longest > streak else "")
    blocks = [section(f":white_check_mark: Check-in for the *{week}* {verb}. {streak_text}"),
              section(result.encouragement)]
    if result.focus_offer is not None:
        blocks += checkin_focus_offer(result.focus_offer)
    notes = _checkin_notes(result)
    if notes:
        blocks.append(context(" ".join(notes)))
    return message(f"Check-in for the {week} {verb}: {streak}-week streak. {result.encouragement}", blocks)


def _checkin_notes(result: CheckinResult) -> list[str]:
    notes = []
    if result.has_win:
        post = result.win_post
        if post is None:
            notes.append("Your win is saved privately; it shows on your App Home.")
        elif post.posted:
            notes.append(":tada: Your win is on the team channel.")
        else:
            notes.append(f"Your win is saved. {post_problem_text(post)}")
    if result.milestone_celebrated:
        notes.append(f":fire: Your {result.milestone_celebrated}-week streak is being celebrated on the team channel.")
    if result.milestone_in_digest:
        notes.append(f":fire: Your {result.milestone_in_digest}-week streak will be in the next team digest.")
    if result.pause_ended:
        notes.append("Welcome back: checking in ended your pause.")
    if result.streak_waited and result.streak > 0:
        notes.append(":palm_tree: " + streak_waited_text(result.streak_waited))
    return notes



def stats_message(data: StatsData) -> dict[str, Any]:
    """``/lead stats``: the last four completed weeks line by line, and this week apart.

    No monospace grid: one line per foundation (its four ratings in order) reads on a phone.
    """
    blocks: list[Block] = [header("Your progress"),
                           fields(f"*Current streak*\n{plural(data.current, 'week')}",
                                  f"*Longest streak*\n{plural(data.longest, 'week')}")]
    if not data.total_checkins and not any(data.logged.values()):
        blocks.append(section("No check-ins yet. Run `/lead checkin` to record your first week."))
        return message(f"Streak {data.current} weeks, longest {data.longest}. No check-ins yet.", blocks)
    span = weeks_label(data.weeks, data.today)
    lines = [f"*Last {len(data.weeks)} weeks* ({span}), ratings 1–5 in order:"]
    for key in FOUNDATIONS:
        ratings = " · ".join(str(data.ratings.get(w, {}).get(key, "away" if w in data.away_weeks else "–"))
                             for w in data.weeks)
        since = ""
        latest = next((data.ratings[w][key] for w in reversed(data.weeks) if w in data.ratings), None)
        if data.first and latest is not None:
            since = f" (since you started: {change_text(data.first.get(key), latest)})"
        lines.append(f"{FOUNDATION_LABELS[key]}: {ratings}{since}")
    away = away_weeks_note(data.weeks, data.away_weeks, set(data.ratings), data.today)
    if away:
        lines.append(away)
    blocks.append(section("\n".join(lines), block_id="ratings"))
    minutes = [data.minutes.get(w, 0) for w in data.weeks]
    total = sum(minutes)
    logged = sum(data.logged.get(w, 0) for w in data.weeks)
    blocks.append(section(f"*Learning minutes:* {' · '.join(str(m) for m in minutes)} = *{total}* in "
                          f"{len(data.weeks)} weeks\n_A week counts its check-in's minutes, or without a check-in "
                          f"the minutes logged with “I did it” ({logged} logged in these weeks)._",
                          block_id="learning"))
    practices = (" · ".join(f"{PRACTICES[key]} ×{count}" for key, count in data.practices)
                 or "none ticked in these weeks")
    wins = f"{plural(data.wins, 'win')} ({data.shared_wins} shared)"
    blocks.append(section(f"*Practices:* {practices}\n*Wins:* {wins}", block_id="practices"))
    blocks.append(section(_this_week(data), block_id="this_week"))
    blocks.append(context(f"{plural(data.total_checkins, 'check-in')} in all · your dashboard is on lead-bot's "
                          "Home tab · `/lead chart` draws your last 12 weeks"))
    return message(f"Streak {data.current} weeks (longest {data.longest}); {total} learning minutes in the last "
                   f"{len(data.weeks)} weeks.", blocks)


def _this_week(data: StatsData) -> str:
    week = week_label(data.week, data.today)
    minutes = data.minutes.get(data.week, 0)
    if data.checked_in:
        ratings = data.ratings[data.week]
        numbers = " · ".join(f"{FOUNDATION_LABELS[k]} {ratings[k]}" for k in FOUNDATIONS)
        state = f":white_check_mark: checked in: {numbers} · {minutes} learning minutes"
    else:
        state = f":hourglass_flowing_sand: no check-in yet · {minutes} minutes logged so far"
    wins = f" · {plural(data.this_week_wins, 'win')}" if data.this_week_wins else ""
    return f"*This week* ({week}): {state}{wins}"
