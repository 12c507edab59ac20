"""``/lead team``: team-level numbers, and the replies for people who cannot see them."""

from __future__ import annotations

from typing import Any

from bot.coaching.foundations import FOUNDATION_LABELS, FOUNDATIONS, PRACTICES
from bot.coaching.weeks import week_monday
from bot.mrkdwn import truncate
from bot.services.types.team import TeamAnswer, TeamProblem, TeamReport
from bot.views.blocks import Block, context, header, message, notice, section
from bot.views.dates import day_label, week_label
from bot.views.home import minutes_sparkline, rating_sparkline


def withheld(what: str, min_group: int) -> str:
    return f"_{what}: fewer than {min_group} people — withheld to keep answers anonymous._"


def _percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "–"


def _bar(value: float) -> str:
    filled = max(0, min(5, int(value + 0.5)))  # half rounds up: 2.5 shows three dots
    return "●" * filled + "○" * (5 - filled)


def team_message(report: TeamReport) -> dict[str, Any]:
    blocks: list[Block] = [
        header("Team numbers"),
        context(f"<#{report.channel}> · {week_label(report.week)} · {report.known} of {report.channel_size} "
                f"channel member{'s' if report.channel_size != 1 else ''} use lead-bot"),
    ]
    texts: list[str] = []
    if report.checked_in is None:
        blocks.append(section(withheld("Participation", report.min_group)))
        texts.append("participation withheld (fewer than 3 people)")
    else:
        # People away that week without a check-in are left out of its denominator (time off).
        expected = {w: report.known - (report.away or {}).get(w, 0) for w in report.weeks}
        now, here = report.checked_in[report.week], expected[report.week]
        total = sum(report.checked_in.values())
        possible = sum(expected.values())
        per_week = " · ".join(f"{day_label(week_monday(w))}: {report.checked_in[w]}/{expected[w]}"
                              for w in report.weeks)
        away_total = sum((report.away or {}).values())
        away_note = (f"\n_People away (3+ days off in a week) who didn't check in are left out of that week: "
                     f"{away_total} in these weeks._" if away_total else "")
        blocks.append(section(
            f"*Participation this week:* {now} of {here} checked in ({_percent(now, here)})\n"
            f"*Last four weeks:* {total} of {possible} possible check-ins ({_percent(total, possible)})\n"
            f"Weeks of {per_week}{away_note}"))
        texts.append(f"{now} of {here} checked in this week")
    if report.ratings is None:
        blocks.append(section(withheld("Average ratings", report.min_group)))
    else:
        lines = [f"`{_bar(report.ratings[f])}` {report.ratings[f]:.1f} · {FOUNDATION_LABELS[f]}" for f in FOUNDATIONS]
        blocks.append(section(f"*Average ratings, last four weeks* (from {report.rating_people} people)\n"
                              + "\n".join(lines)))
    if report.wins is None:
        blocks.append(section(withheld("Wins", report.min_group)))
    else:
        this_week, window = report.wins[report.week], sum(report.wins.values())
        blocks.append(section(f"*Wins:* {this_week} this week · {window} in the last four weeks"))
        texts.append(f"{this_week} wins this week")
    if report.foundation_trends is not None:
        blocks.append(section(_trends(report), block_id="trends"))
    blocks.append(context("Team-level figures only: no one's individual answers are shown, and any figure based on "
                          f"fewer than {report.min_group} people is withheld."))
    return message("Team numbers: " + ("; ".join(texts) if texts else "withheld to keep answers anonymous"), blocks)


def team_answer(answer: TeamAnswer) -> dict[str, Any]:
    """``/lead team``'s reply: the numbers, or why there are none to show."""
    if answer.report is not None:
        return team_message(answer.report)
    if answer.problem is TeamProblem.NO_CHANNEL or answer.channel is None:
        return no_team_channel()
    if answer.problem is TeamProblem.NOT_A_MEMBER:
        return not_a_member(answer.channel)
    return channel_unreadable(answer.channel)


def no_team_channel() -> dict[str, Any]:
    text = ("No team channel is set yet, so there is no team to show. A workspace admin can pick one with "
            "`/lead config`.")
    return notice(text)


def not_a_member(channel: str) -> dict[str, Any]:
    text = (f"Team numbers are for members of <#{channel}>. Join that channel to see them; your own progress is "
            "always in `/lead stats`.")
    return notice(text)


def channel_unreadable(channel: str) -> dict[str, Any]:
    text = (f"I couldn't read the members of <#{channel}>. If it is private, someone in it can type "
            "`/invite @lead-bot` there.")
    return notice(text)


def _trends(report: TeamReport) -> str:
    """The last 12 weeks, one character a week; · marks a week with fewer than ``min_group`` people."""
    weeks = report.trend_weeks
    span = f"{day_label(week_monday(weeks[0]))} to {day_label(week_monday(weeks[-1]))}" if weeks else ""
    lines = [f"*Last {len(weeks)} weeks* ({span}; · is a week with fewer than {report.min_group} people)"]
    for foundation in FOUNDATIONS:
        trend = (report.foundation_trends or {}).get(foundation, ())
        known = [value for value in trend if value is not None]
        latest = f" · latest {known[-1]:.1f}" if known else ""
        lines.append(f"`{rating_sparkline([round(v) if v is not None else None for v in trend])}` "
                     f"{FOUNDATION_LABELS[foundation]}{latest}")
    if report.participation_trend is not None:
        counts = report.participation_trend
        lines.append(f"`{minutes_sparkline(list(counts))}` Check-ins per week: "
                     + " ".join(str(count) for count in counts))
    if report.practices is not None:
        if report.practices:
            done = " · ".join(f"{PRACTICES[key]} ×{count}" for key, count in report.practices)
        else:
            done = "none recorded yet"
        lines.append(f"*Practices* ({report.practice_weeks} weeks with enough people): {done}")
        if report.pairings_met:
            lines.append(f"People who met their practice partner: {report.pairings_met} (in the practices above)")
    if report.kudos is not None:
        total = sum(report.kudos)
        lines.append(f"`{minutes_sparkline(list(report.kudos))}` Kudos given: {total} in {len(weeks)} weeks")
    return truncate("\n".join(lines), 3000)
