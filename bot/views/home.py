"""The App Home: each person's growth dashboard, readable on a phone.

Only the person ever sees their App Home, so private wins and reflections are shown here, always
escaped (their words are data). The view has a fixed number of blocks whatever the history (two
years of weekly check-ins render like two weeks), and every text is cut to Slack's limits.
Trends are sparklines (▁▃▄▆█, one character a week) with the numbers beside them, which survive
a phone's width where a table would not.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from bot.coaching.foundations import FOUNDATION_LABELS, PRACTICES, TRACK_LABELS
from bot.mrkdwn import escape, truncate
from bot.services.types.home import GoalLine, HomeData, Trend
from bot.views.blocks import Block, button, context, divider, fields, header, section
from bot.views.checkin import OPEN_ACTION, open_checkin_button
from bot.views.dates import day_label, week_label, weekday_label, weeks_label
from bot.views.goals import progress_bar
from bot.views.kudos import received_lines

RATING_BARS = {1: "▁", 2: "▃", 3: "▄", 4: "▆", 5: "█"}
MINUTE_BARS = "▂▃▄▅▆▇█"  # above zero, scaled to the window's busiest week; zero is ▁
NO_DATA = "·"
WINS_SHOWN = 5
GOALS_SHOWN = 8
REFLECTION_CHARS = 280
WIN_CHARS = 200


def rating_sparkline(ratings: Sequence[int | None]) -> str:
    """One character per week: ▁ for 1 up to █ for 5, · for a week without a check-in."""
    return "".join(RATING_BARS.get(r, NO_DATA) if r is not None else NO_DATA for r in ratings)


def minutes_sparkline(minutes: Sequence[int]) -> str:
    """One character per week, scaled to the busiest week: ▁ for none, █ for the most."""
    top = max(minutes, default=0)
    if top <= 0:
        return "▁" * len(minutes)
    steps = len(MINUTE_BARS)
    return "".join("▁" if m <= 0 else MINUTE_BARS[min(steps - 1, (m * steps - 1) // top)] for m in minutes)


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def change_text(first: int | None, latest: int | None) -> str:
    """``2 → 4 (+2)``: from the first check-in to the latest."""
    if first is None or latest is None:
        return ""
    delta = latest - first
    sign = f"+{delta}" if delta > 0 else str(delta) if delta < 0 else "±0"
    return f"{first} → {latest} ({sign})"


def build_home(data: HomeData) -> dict[str, Any]:
    blocks: list[Block] = [header("Your leadership dashboard")]
    profile = []
    if data.track:
        profile.append(f"Track: *{TRACK_LABELS[data.track]}*")
    if data.focus:
        profile.append(f"Focus: *{FOUNDATION_LABELS[data.focus]}*")
    blocks.append(context(" · ".join(profile) if profile else "Run `/lead start` to pick a track and a focus."))
    blocks.append(fields(f"*Current streak*\n:fire: {plural(data.current_streak, 'week')}",
                         f"*Longest streak*\n{plural(data.longest_streak, 'week')}"))
    blocks += _this_week(data)
    blocks += _time_off(data)
    blocks.append(divider())
    blocks += _trends(data)
    blocks.append(divider())
    blocks.append(section(_wins(data), block_id="wins"))
    blocks.append(section(received_lines(list(data.kudos)), block_id="kudos"))
    blocks.append(section(_goals(data.goals, data.today), block_id="goals"))
    blocks.append(section(_reflections(data), block_id="reflections"))
    blocks.append(context("Only you can see this page, private wins and reflections included. "
                          "`/lead stats` sums up your last four weeks; `/lead chart` sends this as a picture."))
    return {"type": "home", "blocks": blocks}


def _this_week(data: HomeData) -> list[Block]:
    """This week's check-in: done (update it), due (the primary button), or paused (when it ends)."""
    week = week_label(data.week, data.today)
    if data.checked_in:
        return [section(f":white_check_mark: You checked in for the *{week}*.", block_id="this_week",
                        accessory=button("Update check-in", OPEN_ACTION, "checkin"))]
    if data.paused_until is not None:
        until = weekday_label(data.paused_until, data.today)
        return [section(f":double_vertical_bar: You are paused until *{until}*: no nudges, and your streak waits. "
                        "A check-in still counts and ends the pause; `/lead resume` ends it too.",
                        block_id="this_week", accessory=button("Check in anyway", OPEN_ACTION, "checkin"))]
    return [section(f":hourglass_flowing_sand: No check-in yet for the *{week}*.", block_id="this_week"),
            open_checkin_button()]


AWAY_TODAY = {
    "holiday": ":palm_tree: Today is a public holiday in your calendar: nothing from me today.",
    "status": ":palm_tree: Your Slack status says you're away: nothing from me until you're back.",
}


def _time_off(data: HomeData) -> list[Block]:
    """Away today, and a streak that held over time off: each said only when it is true now."""
    lines = []
    if data.away_today in AWAY_TODAY:
        lines.append(AWAY_TODAY[data.away_today])
    if data.streak_waited and data.current_streak > 0:
        lines.append(":palm_tree: " + streak_waited_text(data.streak_waited))
    return [context(" ".join(lines))] if lines else []


def streak_waited_text(weeks: int) -> str:
    """Said only when the streak really stepped over away weeks since the previous check-in."""
    time_off = "a week of time off" if weeks == 1 else f"{weeks} weeks of time off"
    return f"Your streak held on through {time_off}: away weeks never break it."


def away_weeks_note(weeks: Sequence[str], away: frozenset[str], rated: set[str], today: date) -> str | None:
    """``Away: week of 21 Dec`` for the shown weeks without a check-in that were away, else None."""
    shown = [week for week in weeks if week in away and week not in rated]
    if not shown:
        return None
    return "Away (3+ days off, your streak waits): " + ", ".join(week_label(week, today) for week in shown)


def _trends(data: HomeData) -> list[Block]:
    return [section(_trend(data), block_id="trend"), section(_learning(data), block_id="learning"),
            section(_practices(data), block_id="practices")]


def _trend(data: HomeData) -> str:
    if not data.trends:
        return "*Your trend*\nYour ratings will show here, week by week, after your first check-in."
    span = weeks_label(data.trend_weeks, data.today)
    started = f" · since your first check-in ({week_label(data.first_week, data.today)})" if data.first_week else ""
    lines = [f"*Your last {len(data.trend_weeks)} weeks* ({span}){started}"]
    lines += [_trend_line(trend) for trend in data.trends]
    rated = {week for week, rating in zip(data.trend_weeks, data.trends[0].ratings, strict=False) if rating is not None}
    away = away_weeks_note(data.trend_weeks, data.away_weeks, rated, data.today)
    if away:
        lines.append(away)
    return "\n".join(lines)


def _learning(data: HomeData) -> str:
    """Minutes per week over the window (check-in numbers, else "I did it" logs), this week apart."""
    weeks = len(data.minutes)
    total = sum(data.minutes)
    if not total and not data.this_week_minutes:
        return ("*Learning minutes*\nNone yet. “I did it” on a learning step logs its minutes, and your check-in "
                "says how many you spent each week.")
    lines = [f"*Learning minutes*  `{minutes_sparkline(data.minutes)}`  {total} in {plural(weeks, 'week')}"
             f" (about {round(total / weeks) if weeks else 0} a week)",
             "Last four weeks: " + " · ".join(str(m) for m in data.minutes[-4:])]
    if not data.checked_in:  # the window ends last week: this week is shown apart
        lines[-1] += f" · this week so far: {data.this_week_minutes}"
    return "\n".join(lines)


def _trend_line(trend: Trend) -> str:
    latest = trend.latest if trend.latest is not None else NO_DATA
    change = change_text(trend.first, trend.latest)
    return (f"`{rating_sparkline(trend.ratings)}` {FOUNDATION_LABELS[trend.foundation]}: *{latest}*"
            + (f" · {change}" if change else ""))


def _practices(data: HomeData) -> str:
    if not data.practices:
        return ("*Practices this quarter*\nNone ticked yet. Mentoring, leading a review or a talk with a manager "
                "all count: tick them in your check-in.")
    items = " · ".join(f"{escape(PRACTICES[key])} ×{count}" for key, count in data.practices)
    return truncate(f"*Practices this quarter*\n{items}", 3000)


def _wins(data: HomeData) -> str:
    if not data.wins:
        return "*Your wins*\nNone recorded yet. `/lead win` keeps one, big or small."
    lines = [f"*Your wins* ({data.total_wins} in all)"]
    for win in data.wins[:WINS_SHOWN]:
        mark = ":loudspeaker:" if win.shared else ":lock:"
        text = escape(truncate(" ".join(win.text.split()), WIN_CHARS))
        lines.append(f"{mark} {text} _({week_label(win.week, data.today)})_")
    return truncate("\n".join(lines), 3000)


def _goals(goals: Sequence[GoalLine], today: date) -> str:
    if not goals:
        return "*Active goals*\nNo active goal. `/lead goal` sets one you can measure."
    lines = ["*Active goals*"]
    for goal in goals[:GOALS_SHOWN]:
        done = f"{goal.current}/{goal.target}" if goal.target else f"{goal.progress}%"
        line = f"• {escape(truncate(goal.title, 120))} `{progress_bar(goal.progress)}` {done}"
        if goal.due is not None and goal.due < today:
            line += f" · :warning: *overdue* since {day_label(goal.due, today)}"
        elif goal.due is not None:
            line += f" · due {day_label(goal.due, today)}"
        lines.append(line)
    if len(goals) > GOALS_SHOWN:
        lines.append(f"…and {len(goals) - GOALS_SHOWN} more in `/lead goals`")
    return truncate("\n".join(lines), 3000)


def _reflections(data: HomeData) -> str:
    if not data.reflections:
        return "*Your reflections*\nYour private reflections will show here after you write some."
    lines = [f"*Your last {plural(len(data.reflections), 'reflection')}*"]
    for line in data.reflections:
        text = escape(truncate(" ".join(line.text.split()), REFLECTION_CHARS))
        lines.append(f"_{week_label(line.week, data.today)}:_ {text}")
    return truncate("\n".join(lines), 3000)
