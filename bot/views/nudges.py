"""What the weekly rhythm looks like: nudge DMs, prompts, the reminder, the digest, their modals.

Pure builders (no I/O). Button and modal ids are defined here so the sweeps that send the
messages and the listeners that handle the clicks cannot drift apart. A person's words (wins,
names) are escaped here; prompt texts arrive already rendered and escaped by the library.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from bot import limits
from bot.coaching.library import RenderedPrompt
from bot.mrkdwn import escape, truncate
from bot.services.types.nudges import (
    CheckinNudge,
    CheckinReminder,
    DigestData,
    MinutesQuestion,
    PromptMessage,
    ReflectionQuestion,
)
from bot.services.types.review import FocusReviewMessage, GrowthInvite
from bot.views.blocks import (
    Block,
    actions,
    button,
    context,
    header,
    input_block,
    message,
    modal,
    section,
    text_input,
)
from bot.views.checkin import open_checkin_button, parse_minutes
from bot.views.review import focus_review_message, growth_invite_message
from bot.views.state import StateValues, ViewState, read_metadata

# Buttons. The check-in button is the check-in modal's own (bot.views.checkin.open_checkin_button).
DID_IT = "prompt_did_it"
HELPFUL = "prompt_helpful"
NOT_FOR_ME = "prompt_not_for_me"
WRITE_REFLECTION = "reflection_write"
FEEDBACK_ACTIONS: Mapping[str, str] = {HELPFUL: "helpful", NOT_FOR_ME: "not_for_me"}

# Modals.
MINUTES_CALLBACK = "prompt_minutes"
REFLECTION_CALLBACK = "prompt_reflection"

DIGEST_MAX_LINES = 25  # wins or milestones listed before "and N more"


# direct messages ------------------------------------------------------------------------------
def checkin_nudge(data: CheckinNudge) -> dict[str, Any]:
    """Monday's invitation to this week's check-in, with the button that opens it."""
    week, streak, focus_label = data.week, data.streak, data.focus_label
    name = escape(data.first_name)
    lines = [f":wave: Hi {name}, a new week ({week}) has started. Two minutes to look back on the last one "
             "as an engineer who leads?"]
    if streak >= 1:
        lines.append(f":fire: You are on a *{streak}-week* streak; this check-in keeps it going.")
    blocks: list[Block] = [section("\n".join(lines))]
    if focus_label:
        blocks.append(context(f":dart: Your focus: *{escape(focus_label)}*"))
    blocks.append(open_checkin_button(value="nudge", block_id="checkin"))
    return message(f"Time for your weekly check-in ({week}).", blocks)


def checkin_reminder(data: CheckinReminder) -> dict[str, Any]:
    """Thursday's reminder, only for people who have not checked in this week."""
    week = data.week
    text = (f":hourglass_flowing_sand: {escape(data.first_name)}, there is still time to check in for {week}. "
            "A quick look back now makes next week's focus sharper.")
    blocks: list[Block] = [section(text),
                           open_checkin_button(value="reminder", block_id="checkin")]
    return message(f"Reminder: your check-in for {week} is still open.", blocks)


def scheduled_message(data: CheckinNudge | CheckinReminder | PromptMessage | DigestData | FocusReviewMessage
                      | GrowthInvite) -> dict[str, Any]:
    """The message a scheduled job's builder asked for."""
    if isinstance(data, CheckinNudge):
        return checkin_nudge(data)
    if isinstance(data, CheckinReminder):
        return checkin_reminder(data)
    if isinstance(data, PromptMessage):
        return prompt_message(data)
    if isinstance(data, FocusReviewMessage):
        return focus_review_message(data)
    if isinstance(data, GrowthInvite):
        return growth_invite_message(data)
    return team_digest(data)


def prompt_message(data: PromptMessage) -> dict[str, Any]:
    """The week's library prompt, as its kind is shown."""
    if data.kind == "upskilling":
        return upskilling_prompt(data.rendered, minutes=data.minutes, focus_label=focus_note(data))
    return reflection_prompt(data.rendered)


def focus_note(data: PromptMessage) -> str:
    """Why this prompt came, in a few true words: the focus, the one-in-three mix, a widened choice, a repeat."""
    focus, own = data.focus_label, data.foundation_label or data.focus_label
    if data.reason == "mix":
        return f"{own}: one week in three, a step outside your focus ({focus})"
    if data.reason in ("widened_foundation", "widened_track") and own != focus:
        return f"{own}, next to your focus ({focus}): you have had every fitting step there lately"
    if data.reason == "repeat":
        return f"{own}: a step you had before, as nothing new fits you right now"
    return f"Your focus: {focus}"


def upskilling_prompt(prompt: RenderedPrompt, *, minutes: int | None, focus_label: str | None) -> dict[str, Any]:
    """Wednesday's learning step: the idea, one action for this week, and three buttons."""
    blocks: list[Block] = [header(prompt.title), section(prompt.body, block_id="body"),
                           section(f"*This week:* {prompt.action}", block_id="action")]
    notes = []
    if minutes:
        notes.append(f":stopwatch: About {minutes} minutes")
    if focus_label:
        notes.append(f":dart: {escape(focus_label)}")
    if notes:
        blocks.append(context(" · ".join(notes)))
    blocks.append(actions(
        button("I did it", DID_IT, prompt.prompt_id, style="primary"),
        button("Helpful", HELPFUL, prompt.prompt_id),
        button("Not for me", NOT_FOR_ME, prompt.prompt_id),
        block_id="prompt_buttons"))
    return message(f"This week's learning step: {prompt.title}", blocks)


def reflection_prompt(prompt: RenderedPrompt) -> dict[str, Any]:
    """Friday's reflection question, with a button to answer it privately."""
    blocks: list[Block] = [header(prompt.title), section(prompt.body, block_id="body"),
                           section(f"*Then:* {prompt.action}", block_id="action"),
                           actions(button("Write my answer", WRITE_REFLECTION, prompt.prompt_id, style="primary"),
                                   button("Helpful", HELPFUL, prompt.prompt_id),
                                   button("Not for me", NOT_FOR_ME, prompt.prompt_id),
                                   block_id="prompt_buttons"),
                           context(":lock: Your answer is private: only you can see it.")]
    return message(f"A question to end the week: {prompt.title}", blocks)


def feedback_thanks(verdict: str) -> str:
    """The ephemeral acknowledgement of a Helpful / Not for me click."""
    if verdict == "helpful":
        return ":+1: Thanks! Prompts the team finds helpful come up more often."
    return ":ok_hand: Noted. You will not get this prompt again."


NOT_YOURS = "That button belongs to a message sent to someone else, so nothing was changed."
NOT_YOURS_FIELD = "This prompt was not sent to you, so nothing was saved."


# the team digest ------------------------------------------------------------------------------
def team_digest(data: DigestData) -> dict[str, Any]:
    """Friday's team-channel summary of the week."""
    blocks: list[Block] = [header(f"Team digest · {data.week}"),
                           section(f":bar_chart: *{data.checked_in} of {data.people}* "
                                   f"{'person' if data.people == 1 else 'people'} checked in this week.")]
    if data.wins:
        lines = [f"• <@{win.user_id}>: {escape(truncate(' '.join(win.text.split()), 280))}"
                 for win in data.wins[:DIGEST_MAX_LINES]]
        lines += _more(len(data.wins))
        blocks.append(section(truncate(":tada: *Wins shared this week*\n" + "\n".join(lines), 3000), block_id="wins"))
    else:
        blocks.append(section(":seedling: No wins shared this week. Small ones count too: `/lead win`.",
                              block_id="wins"))
    if data.milestones:
        lines = [f"• <@{user_id}> reached a *{weeks}-week* check-in streak"
                 for user_id, weeks in data.milestones[:DIGEST_MAX_LINES]]
        lines += _more(len(data.milestones))
        blocks.append(section(truncate(":fire: *Streak milestones*\n" + "\n".join(lines), 3000),
                              block_id="milestones"))
    blocks.append(context("Ratings and reflections stay private; only what people chose to share is here."))
    summary = (f"Team digest for {data.week}: {data.checked_in} of {data.people} checked in, "
               f"{len(data.wins)} shared win{'s' if len(data.wins) != 1 else ''}.")
    return message(summary, blocks)


def _more(count: int) -> list[str]:
    return [f"…and {count - DIGEST_MAX_LINES} more"] if count > DIGEST_MAX_LINES else []


# modals ---------------------------------------------------------------------------------------
def minutes_modal(question: MinutesQuestion) -> dict[str, Any]:
    """The "I did it" modal: minutes spent on the learning step, pre-filled with the suggestion."""
    prompt_id, title, minutes = question.prompt_id, question.title, question.minutes
    blocks: list[Block] = [
        section(f":white_check_mark: Nice work on *{escape(title)}*."),
        input_block("minutes", "Minutes spent",
                    text_input("value", max_length=20, initial=str(minutes) if minutes else None,
                               placeholder="e.g. 30, 1h, 1h15"),
                    hint="They count toward your learning time this week."),
    ]
    return modal(MINUTES_CALLBACK, "Log learning time", blocks, submit="Log it",
                 private_metadata=json.dumps({"prompt_id": prompt_id}))


def parse_minutes_form(values: StateValues) -> tuple[int | None, dict[str, str]]:
    """The minutes typed in the modal, or an error keyed by block id."""
    minutes = parse_minutes(ViewState(values).text("minutes"))
    if minutes is None or minutes <= 0:
        return None, {"minutes": "Write the minutes as a number (30) or a duration (1h15)."}
    if minutes > limits.LOGGED_MINUTES:
        return None, {"minutes": f"That is more than {limits.LOGGED_MINUTES // 60} hours; log one step at a time."}
    return minutes, {}


def reflection_modal(question: ReflectionQuestion, initial: str | None = None) -> dict[str, Any]:
    """The "Write my answer" modal: the question again, and a private text box."""
    prompt_id = question.prompt_id
    blocks: list[Block] = [
        section(f"*{escape(question.title)}*\n{question.body}"),
        input_block("answer", "Your answer",
                    text_input("value", multiline=True, max_length=limits.REFLECTION, initial=initial),
                    hint="Private: stored with this week's check-in, never shared."),
    ]
    return modal(REFLECTION_CALLBACK, "Reflection", blocks, submit="Save",
                 private_metadata=json.dumps({"prompt_id": prompt_id}))


def parse_reflection_form(values: StateValues) -> tuple[str | None, dict[str, str]]:
    text = ViewState(values).text("answer").strip()
    if not text:
        return None, {"answer": "Write a few words, or close the window to answer later."}
    return text[:limits.REFLECTION], {}


def prompt_from_metadata(private_metadata: str) -> str | None:
    """The prompt id a modal was opened for (set by the bot, so only its shape is checked)."""
    value = read_metadata(private_metadata).get("prompt_id")
    return value if isinstance(value, str) and 0 < len(value) <= limits.PROMPT_ID else None
