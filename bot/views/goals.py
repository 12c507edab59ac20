"""Goals: the new-goal modal, the list with its buttons, and the progress modal.

Builders and parsers live together so the block and action ids they share cannot drift apart.
Everything here is pure: data in, Block Kit dicts out.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from datetime import date
from typing import Any

from bot import limits
from bot.coaching.foundations import FOUNDATION_LABELS, FOUNDATION_SUMMARIES, FOUNDATIONS
from bot.mrkdwn import escape, truncate
from bot.services.types.goals import GoalChange, GoalForm, GoalSummary, Outcome, ProgressInput
from bot.views.blocks import (
    Block,
    actions,
    button,
    context,
    divider,
    header,
    input_block,
    message,
    modal,
    notice,
    option,
    section,
    text_input,
)
from bot.views.dates import weekday_label
from bot.views.state import StateValues, ViewState, read_metadata
from bot.views.wins import post_problem_text

NEW_GOAL_CALLBACK = "goal_new"
PROGRESS_CALLBACK = "goal_progress"
ACTION_PROGRESS = "goal_update_progress"
ACTION_DONE = "goal_mark_done"
ACTION_ARCHIVE = "goal_archive"

MAX_LISTED = 20  # two blocks per goal keeps a list well inside a message's 50 blocks
_INTEGER = re.compile(r"-?[0-9]{1,9}")


def progress_from_count(current: int, target: int) -> int:
    """Percent done for ``current`` out of ``target``, capped at 100."""
    return min(100, current * 100 // target) if target > 0 else 0


# the new-goal modal ------------------------------------------------------------------------
def build_goal_modal(*, focus: str | None = None, title: str | None = None) -> dict[str, Any]:
    """The ``/lead goal`` modal; the person's focus is pre-selected, ``title`` pre-fills the title."""
    options = [option(FOUNDATION_LABELS[key], key, FOUNDATION_SUMMARIES[key]) for key in FOUNDATIONS]
    select: dict[str, Any] = {"type": "static_select", "action_id": "value", "options": options,
                              "placeholder": {"type": "plain_text", "text": "Pick a foundation"}}
    if focus in FOUNDATIONS:
        select["initial_option"] = options[FOUNDATIONS.index(focus)]
    blocks: list[Block] = [
        section("A good goal is small enough to finish in a few weeks and concrete enough that you will "
                "know when it is done."),
        input_block("title", "Goal", text_input("value", max_length=limits.GOAL_TITLE, initial=title,
                                                placeholder="e.g. Hand the release process over to Kim")),
        input_block("foundation", "Which foundation does it build?", select),
        input_block("measure", "How will you measure progress?",
                    text_input("value", max_length=limits.GOAL_MEASURE,
                               placeholder="e.g. releases Kim runs without me"),
                    optional=True),
        input_block("target", "Target count", text_input("value", max_length=7, placeholder="e.g. 3"),
                    optional=True,
                    hint="Give a number to track progress as a count toward it; leave empty to track a percentage."),
        input_block("due", "Due date", {"type": "datepicker", "action_id": "value"}, optional=True),
    ]
    return modal(NEW_GOAL_CALLBACK, "New goal", blocks, submit="Save goal")


def title_from_command(text: str) -> str | None:
    """``/lead goal <words>``: the words, to pre-fill the title (cut to fit); None without any."""
    return truncate(" ".join(text.split()), limits.GOAL_TITLE) or None


def parse_goal(values: StateValues, today: date) -> tuple[GoalForm | None, dict[str, str]]:
    """Turn ``view.state.values`` into a goal, or into errors keyed by block id.

    ``today`` is the person's local date: a due date before it is refused.
    """
    state = ViewState(values)
    errors: dict[str, str] = {}
    title = " ".join(state.text("title").split())
    if not title:
        errors["title"] = "Give your goal a short title."
    elif len(title) > limits.GOAL_TITLE:
        errors["title"] = f"Keep the title under {limits.GOAL_TITLE} characters; details fit in the measure field."
    foundation = state.selected("foundation")
    if foundation not in FOUNDATIONS:
        errors["foundation"] = "Pick one of the four foundations."
    measure = state.text("measure").strip() or None
    if measure and len(measure) > limits.GOAL_MEASURE:
        errors["measure"] = f"Keep this under {limits.GOAL_MEASURE} characters."
    target = None
    target_text = state.text("target").strip()
    if target_text:
        target = _whole_number(target_text)
        if target is None or not 1 <= target <= limits.GOAL_TARGET:
            errors["target"] = f"Write a whole number from 1 to {limits.GOAL_TARGET:,}, or leave it empty."
    due = None
    due_text = state.date("due")
    if due_text:
        try:
            due = date.fromisoformat(due_text)
        except ValueError:
            errors["due"] = "Pick a date from the calendar."
        else:
            if due < today:
                errors["due"] = "That date has already passed; pick today or a later day."
    if errors:
        return None, errors
    assert foundation is not None
    return GoalForm(title=title, foundation=foundation, measure=measure, target=target, due=due), {}


# the list ---------------------------------------------------------------------------------
def progress_bar(percent: int, width: int = 10) -> str:
    """A bar such as ▰▰▰▰▱▱▱▱▱▱ for 40 %."""
    filled = max(0, min(width, round(percent * width / 100)))
    return "▰" * filled + "▱" * (width - filled)


def progress_text(goal: GoalSummary) -> str:
    if goal.target:
        return f"`{progress_bar(goal.progress)}` {goal.current}/{goal.target} ({goal.progress}%)"
    return f"`{progress_bar(goal.progress)}` {goal.progress}%"


def due_text(due: date | None, today: date) -> str | None:
    if due is None:
        return None
    if due < today:
        return f":warning: overdue: was due {weekday_label(due, today)}"
    if due == today:
        return "due *today*"
    return f"due {weekday_label(due, today)}"


def goals_list_message(goals: Sequence[GoalSummary], today: date, *, note: str | None = None) -> dict[str, Any]:
    """``/lead goals``: each active goal with its progress and three buttons.

    ``note`` (already mrkdwn-safe) says what just changed, when the list is a refresh.
    """
    blocks: list[Block] = []
    if note:
        blocks.append(section(note))
    if not goals:
        blocks.append(section("*No active goals.* Pick one thing you want to get better at and make it "
                              "measurable: `/lead goal` opens the form."))
        fallback = "You have no active goals. Run /lead goal to add one."
        return message(f"{_plain_note(note)}{fallback}", blocks)
    blocks.append(header("Your active goals"))
    for goal in goals[:MAX_LISTED]:
        lines = [f"*{escape(goal.title)}*",
                 f"{FOUNDATION_LABELS.get(goal.foundation, goal.foundation)} · {progress_text(goal)}"]
        due = due_text(goal.due, today)
        if due:
            lines[-1] += f" · {due}"
        if goal.measure:
            lines.append(f"_Measured by:_ {escape(goal.measure)}")
        blocks.append(section("\n".join(lines)))
        value = str(goal.id)
        blocks.append(actions(
            button("Update progress", ACTION_PROGRESS, value, style="primary"),
            button("Mark done", ACTION_DONE, value),
            _archive_button(value),
            block_id=f"goal_{goal.id}"))
    if len(goals) > MAX_LISTED:
        blocks.append(context(f"Showing {MAX_LISTED} of {len(goals)} goals, the ones due soonest. "
                              "Finishing or archiving some will bring the rest into view."))
    blocks.append(divider())
    blocks.append(context("Add another with `/lead goal`. Only you can see this list."))
    count = len(goals)
    return message(f"{_plain_note(note)}You have {count} active goal{'s' if count != 1 else ''}.", blocks)


def _archive_button(value: str) -> dict[str, Any]:
    element = button("Archive", ACTION_ARCHIVE, value)
    element["confirm"] = {
        "title": {"type": "plain_text", "text": "Archive this goal?"},
        "text": {"type": "plain_text", "text": "It leaves your list and your dashboard. It stays in your export."},
        "confirm": {"type": "plain_text", "text": "Archive"},
        "deny": {"type": "plain_text", "text": "Keep it"},
    }
    return element


def _plain_note(note: str | None) -> str:
    return "" if not note else note.replace("*", "") + " "


# the progress modal -------------------------------------------------------------------------
def build_progress_modal(goal: GoalSummary, *, response_url: str | None = None) -> dict[str, Any]:
    """Ask for a percentage, or for the count so far when the goal has a target.

    ``response_url`` (the list message's) travels in the metadata so the list can be refreshed
    after the submission.
    """
    blocks: list[Block] = [section(f"*{escape(goal.title)}*\nNow at {progress_text(goal)}")]
    if goal.measure:
        blocks.append(context(f"Measured by: {escape(goal.measure)}"))
    if goal.target:
        blocks.append(input_block(
            "progress", f"How many so far, out of {goal.target}?",
            text_input("value", max_length=7, initial=str(goal.current), placeholder=f"0 to {goal.target}"),
            hint="Going past the target is fine; progress stops at 100%."))
    else:
        blocks.append(input_block(
            "progress", "How far along are you, in percent?",
            text_input("value", max_length=4, initial=str(goal.progress), placeholder="0 to 100"),
            hint="A rough honest guess beats a precise one you never update."))
    metadata: dict[str, int | str] = {"goal_id": goal.id}
    if response_url and len(response_url) < 2500:
        metadata["response_url"] = response_url
    return modal(PROGRESS_CALLBACK, "Update progress", blocks, submit="Save", private_metadata=json.dumps(metadata))


def parse_progress(values: StateValues, target: int | None) -> tuple[ProgressInput | None, dict[str, str]]:
    """A percentage (no target) or a count toward ``target``; errors keyed by block id."""
    raw = ViewState(values).text("progress").strip().rstrip("%").strip()
    number = _whole_number(raw)
    if target:
        if number is None or not 0 <= number <= limits.GOAL_TARGET:
            return None, {"progress": "Write how many you have done so far, a whole number from 0 to "
                                      f"{limits.GOAL_TARGET:,}."}
        return ProgressInput(progress=progress_from_count(number, target), current=number), {}
    if number is None or not 0 <= number <= 100:
        return None, {"progress": "Write a whole number from 0 to 100."}
    return ProgressInput(progress=number, current=number), {}


def progress_metadata(private_metadata: str) -> tuple[int | None, str | None]:
    """The goal id and the list's response_url from the progress modal's metadata."""
    data = read_metadata(private_metadata)
    goal_id = data.get("goal_id")
    url = data.get("response_url")
    return (goal_id if isinstance(goal_id, int) and not isinstance(goal_id, bool) else None,
            url if isinstance(url, str) else None)


# confirmations ----------------------------------------------------------------------------
def goal_saved_message(goal: GoalSummary, today: date) -> dict[str, Any]:
    """The DM after a goal is created."""
    lines = [f":dart: New goal saved: *{escape(goal.title)}*",
             f"Foundation: {FOUNDATION_LABELS.get(goal.foundation, goal.foundation)}"]
    if goal.target:
        lines.append(f"Target: {goal.target}")
    due = due_text(goal.due, today)
    if due:
        lines.append(due[0].upper() + due[1:])
    blocks = [section("\n".join(lines)),
              context("Update it as you go with `/lead goals`. Small, regular updates make progress visible.")]
    return message(f"New goal saved: {escape(goal.title)}", blocks)


# parsing helpers ----------------------------------------------------------------------------
def _whole_number(text: str) -> int | None:
    cleaned = text.strip().replace(",", "")
    return int(cleaned) if _INTEGER.fullmatch(cleaned) else None


# notes after a change ---------------------------------------------------------------------------
REFUSALS = {
    "not_yours": "That goal isn't yours, so I left it as it is. `/lead goals` shows your own goals.",
    "missing": "I can't find that goal any more. `/lead goals` shows the ones you have now.",
    "not_active": "That goal is already done or archived, so there is nothing left to change.",
}


def refusal_text(outcome: Outcome) -> str:
    """Why nothing changed: the goal is gone, or already done or archived."""
    return REFUSALS.get(outcome.value, REFUSALS["missing"])


def refusal_message(outcome: Outcome) -> dict[str, Any]:
    return notice(refusal_text(outcome))


def progress_note(goal: GoalSummary) -> str:
    note = f":chart_with_upwards_trend: Progress saved for *{escape(goal.title)}*: {progress_text(goal)}."
    if goal.progress >= 100:
        note += " Looks finished: press *Mark done* to close it and celebrate."
    return note


def done_note(goal: GoalSummary, change: GoalChange) -> str:
    note = f":trophy: *{escape(goal.title)}* is done. Well earned!"
    if change.private:
        return note + " I kept it private because your public celebrations are off (`/lead settings`)."
    celebration = change.celebration
    if celebration is not None and celebration.gathered:
        return note + f" It will be in the next team digest in <#{celebration.channel}>."
    if celebration is not None and not celebration.posted:
        return note + f" I couldn't celebrate it with your team: {post_problem_text(celebration)}"
    if celebration is not None and celebration.channel:
        return note + f" Your team can cheer you on in <#{celebration.channel}>."
    return note


def archived_note(goal: GoalSummary) -> str:
    return (f":file_cabinet: *{escape(goal.title)}* is archived. It stays in your export; "
            "dropping a goal that no longer fits is a decision, not a failure.")
