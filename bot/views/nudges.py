"""What the weekly rhythm looks like: nudge DMs, prompts, the reminder, the digest, their modals.

Pure builders (no I/O). Button and modal ids are defined here so the sweeps that send the
messages and the listeners that handle the clicks cannot drift apart. A person's words (wins,
names) are escaped here; prompt texts arrive already rendered and escaped by the library.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from typing import Any

from bot import limits
from bot.coaching.foundations import FOUNDATION_LABELS, FOUNDATIONS
from bot.coaching.library import RenderedPrompt
from bot.mrkdwn import escape, truncate
from bot.services.types.home import ProgressPicture
from bot.services.types.nudges import (
    CheckinNudge,
    CheckinReminder,
    DigestData,
    MinutesQuestion,
    PromptMessage,
    ReflectionQuestion,
    StepLogged,
)
from bot.services.types.pairing import FollowupQuestion, LeftOutDM, PairingDM
from bot.services.types.review import FocusReviewMessage, GrowthInvite
from bot.views import pairing as pairing_views
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
from bot.views.dates import week_label, weeks_label
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
# The context block where a prompt message says what its buttons did.
PROMPT_STATUS = "prompt_status"

DIGEST_MAX_LINES = 25  # wins or milestones listed before "and N more"


# direct messages ------------------------------------------------------------------------------
def checkin_nudge(data: CheckinNudge) -> dict[str, Any]:
    """Monday's invitation: this week's check-in is open, with the button that opens it.

    The check-in belongs to the week it is submitted in (CONTRACT.md), so on Monday the nudge
    opens the new week's check-in and says so; the modal names the same week.
    """
    week, streak, focus_label = week_label(data.week), data.streak, data.focus_label
    name = escape(data.first_name)
    lines = [f":wave: Hi {name}, the *{week}* has begun. Its check-in is open until Sunday: two minutes, "
             "any day this week, to look back on how it went as an engineer who leads."]
    if streak >= 1:
        lines.append(f":fire: You are on a *{streak}-week* streak; a check-in this week keeps it going.")
    blocks: list[Block] = [section("\n".join(lines))]
    if focus_label:
        blocks.append(context(f":dart: Your focus: *{escape(focus_label)}*"))
    blocks.append(open_checkin_button(value="nudge", block_id="checkin"))
    return message(f"Your check-in for the {week} is open.", blocks)


def checkin_reminder(data: CheckinReminder) -> dict[str, Any]:
    """Thursday's reminder, only for people who have not checked in this week."""
    week = week_label(data.week)
    text = (f":hourglass_flowing_sand: {escape(data.first_name)}, your check-in for the *{week}* is still open "
            "until Sunday. Your ratings steer which learning steps you get next.")
    blocks: list[Block] = [section(text),
                           open_checkin_button(value="reminder", block_id="checkin")]
    return message(f"Reminder: your check-in for the {week} is still open.", blocks)


def scheduled_message(data: CheckinNudge | CheckinReminder | PromptMessage | DigestData | FocusReviewMessage
                      | GrowthInvite | PairingDM | LeftOutDM | FollowupQuestion) -> dict[str, Any]:
    """The message a scheduled job's builder asked for (a picture is :func:`progress_picture_message`)."""
    if isinstance(data, PairingDM):
        return pairing_views.pairing_dm(data)
    if isinstance(data, LeftOutDM):
        return pairing_views.left_out_dm(data)
    if isinstance(data, FollowupQuestion):
        return pairing_views.followup_question(data)
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


# what the buttons did, said in the message itself ------------------------------------------------
def answered_prompt(original: Mapping[str, Any], *, spent: Collection[str], note: str) -> dict[str, Any]:
    """The prompt message again, without the ``spent`` buttons and with ``note`` saying what happened.

    Built from the message as Slack holds it (the click's payload, or the history), so the prompt
    reads exactly as sent; earlier notes stay, so "logged" and "helpful" can both show.
    """
    blocks: list[Block] = []
    notes: list[str] = []
    for block in original.get("blocks") or []:
        if not isinstance(block, dict):
            continue
        if block.get("block_id") == PROMPT_STATUS:
            notes = [str(e.get("text")) for e in block.get("elements") or [] if isinstance(e, dict) and e.get("text")]
            continue
        if block.get("type") == "actions":
            elements = [e for e in block.get("elements") or [] if e.get("action_id") not in spent]
            if not elements:
                continue
            block = {**block, "elements": elements}
        blocks.append(block)
    status = context(*(notes + [note])[-10:])
    status["block_id"] = PROMPT_STATUS
    blocks.append(status)
    return message(str(original.get("text") or note), blocks)


def step_logged_note(logged: StepLogged) -> str:
    """After "I did it": the minutes, the week they count in, and what that week adds up to."""
    week = week_label(logged.week)
    if not logged.created:
        return f":white_check_mark: Already logged: {logged.minutes} min for the {week}. Nothing changed."
    note = f":white_check_mark: {logged.minutes} min logged for the {week}."
    if logged.checkin_minutes is None:
        return note + f" That week's learning time is now {logged.week_total} min."
    if logged.is_current:
        return (note + f" Your check-in for that week says {logged.checkin_minutes} min, and a check-in's number is "
                "the week's total: `/lead checkin` updates it if these minutes are not in it yet.")
    return note + f" Your check-in for that week says {logged.checkin_minutes} min, which stays its total."


def verdict_note(verdict: str) -> str:
    """After Helpful / Not for me."""
    if verdict == "helpful":
        return (":+1: Marked helpful. Among the prompts someone has not had yet, the ones your team marks helpful "
                "are picked first.")
    return ":ok_hand: Marked not for you: you won't get this prompt again."


def reflection_saved_note(week: str) -> str:
    return (f":pencil: Answer saved for the {week_label(week)}. Only you can see it; your latest reflections "
            "are on your App Home.")


NOT_YOURS = "That button belongs to a message sent to someone else, so nothing was changed."
NOT_YOURS_FIELD = "This prompt was not sent to you, so nothing was saved."


# the team digest ------------------------------------------------------------------------------
def team_digest(data: DigestData) -> dict[str, Any]:
    """Friday's team-channel summary: shared wins, reached goals, streak milestones, participation.

    Participation leaves out people on a pause who did not check in: they asked not to be nudged.
    """
    week = week_label(data.week)
    turnout = (f":bar_chart: *{data.checked_in} of {data.people}* {'person' if data.people == 1 else 'people'} "
               "checked in this week.")
    if data.paused:
        turnout += f" ({data.paused} on a pause, not counted.)"
    blocks: list[Block] = [header(f"Team digest · {week}"), section(turnout, block_id="participation")]
    if data.wins:
        lines = [f"• <@{win.user_id}>: {escape(truncate(' '.join(win.text.split()), 280))}"
                 for win in data.wins[:DIGEST_MAX_LINES]]
        lines += _more(len(data.wins))
        blocks.append(section(truncate(":tada: *Wins shared this week*\n" + "\n".join(lines), 3000), block_id="wins"))
    else:
        blocks.append(section(":seedling: No wins shared this week. Small ones count too: `/lead win`.",
                              block_id="wins"))
    if data.kudos:
        lines = [f"• <@{k.giver}> thanks <@{k.recipient}>: {escape(truncate(' '.join(k.text.split()), 200))}"
                 for k in data.kudos[:DIGEST_MAX_LINES]]
        lines += _more(len(data.kudos))
        blocks.append(section(truncate(":sparkles: *Kudos*\n" + "\n".join(lines), 3000), block_id="kudos"))
    if data.goals:
        lines = [f"• <@{goal.user_id}> reached a goal: {escape(truncate(' '.join(goal.title.split()), 200))}"
                 for goal in data.goals[:DIGEST_MAX_LINES]]
        lines += _more(len(data.goals))
        blocks.append(section(truncate(":trophy: *Goals reached*\n" + "\n".join(lines), 3000), block_id="goals"))
    if data.milestones:
        lines = [f"• <@{user_id}> reached a *{weeks}-week* check-in streak"
                 for user_id, weeks in data.milestones[:DIGEST_MAX_LINES]]
        lines += _more(len(data.milestones))
        blocks.append(section(truncate(":fire: *Streak milestones*\n" + "\n".join(lines), 3000),
                              block_id="milestones"))
    blocks.append(context("Ratings and reflections stay private. Wins and kudos are here because their authors shared "
                          "them; "
                          "milestones and goals only of people who keep public celebrations on."))
    summary = (f"Team digest for the {week}: {data.checked_in} of {data.people} checked in, "
               f"{len(data.wins)} shared win{'s' if len(data.wins) != 1 else ''}.")
    return message(summary, blocks)


def _more(count: int) -> list[str]:
    return [f"…and {count - DIGEST_MAX_LINES} more"] if count > DIGEST_MAX_LINES else []


# the progress picture ------------------------------------------------------------------------
PICTURE_FILENAME = "lead-bot-progress.png"
CHART_ON_ITS_WAY = (":art: Drawing your last 12 weeks. The picture arrives in your direct messages with me in a "
                    "moment.")
CHART_NOTHING_YET = ("Nothing to draw yet: the picture shows your check-ins of the last 12 weeks. "
                     "`/lead checkin` records this week's.")
CHART_FAILED = "Slack didn't accept the picture, so it was not sent. Please try `/lead chart` again in a minute."


def picture_title(picture: ProgressPicture) -> str:
    return f"Your progress, {weeks_label(picture.chart.weeks, picture.chart.today)}"


def picture_alt_text(picture: ProgressPicture) -> str:
    """What the picture shows, in words, for screen readers and notifications."""
    chart = picture.chart
    parts = []
    for key in FOUNDATIONS:
        rated = [r for r in chart.ratings.get(key, ()) if r is not None]
        if rated:
            parts.append(f"{FOUNDATION_LABELS[key]} {rated[0]} to {rated[-1]}")
    return truncate(f"Line chart of your weekly ratings, {weeks_label(chart.weeks, chart.today)}: "
                    + "; ".join(parts) + f". Bars of learning minutes, {sum(chart.minutes)} in all. "
                    f"Current streak {chart.streak} week{'s' if chart.streak != 1 else ''}.", 2000)


def progress_picture_message(picture: ProgressPicture, file_id: str, *, monthly: bool) -> dict[str, Any]:
    """The DM that shows the uploaded picture (an image block naming the file by id)."""
    chart = picture.chart
    span = weeks_label(chart.weeks, chart.today)
    head = (f":chart_with_upwards_trend: *Your month in a picture*: {span}. " if monthly
            else f":chart_with_upwards_trend: *Your progress picture*: {span}. ")
    head += (f"{picture.checkins} check-in{'s' if picture.checkins != 1 else ''}, {sum(chart.minutes)} learning "
             f"minutes, and a {chart.streak}-week streak.")
    image: Block = {"type": "image", "slack_file": {"id": file_id}, "alt_text": picture_alt_text(picture),
                    "title": {"type": "plain_text", "text": truncate(picture_title(picture), 2000)}}
    note = ("It comes once a month; `/lead settings` moves it or turns it off, and `/lead chart` draws it any time."
            if monthly else "`/lead chart` draws it again any time; your App Home has the details.")
    return message(f"Your progress picture: {span}.", [section(head), image, context(note)])


# modals ---------------------------------------------------------------------------------------
def minutes_modal(question: MinutesQuestion, *, channel: str | None = None, ts: str | None = None
                  ) -> dict[str, Any]:
    """The "I did it" modal: minutes spent on the learning step, pre-filled with the suggestion.

    ``channel`` and ``ts`` name the prompt message, so it can say what happened once this is saved.
    """
    week = week_label(question.week)
    if question.checkin_minutes is None:
        hint = f"They count toward your learning time for the {week}."
    elif question.is_current:
        hint = (f"Your check-in for the {week} already says {question.checkin_minutes} min, and a check-in's "
                "number is the week's total: update it with /lead checkin if these minutes are not in it.")
    else:
        hint = (f"Your check-in for the {week} says {question.checkin_minutes} min, which stays that week's "
                "total; this step is kept with its own minutes.")
    blocks: list[Block] = [
        section(f":white_check_mark: Nice work on *{escape(question.title)}*."),
        input_block("minutes", "Minutes spent",
                    text_input("value", max_length=20,
                               initial=str(question.minutes) if question.minutes else None,
                               placeholder="e.g. 30, 1h, 1h15"),
                    hint=hint),
    ]
    return modal(MINUTES_CALLBACK, "Log learning time", blocks, submit="Log it",
                 private_metadata=_metadata(question.prompt_id, channel, ts))


def _metadata(prompt_id: str, channel: str | None, ts: str | None) -> str:
    data = {"prompt_id": prompt_id}
    if channel and ts:
        data.update(channel=channel, ts=ts)
    return json.dumps(data)


def parse_minutes_form(values: StateValues) -> tuple[int | None, dict[str, str]]:
    """The minutes typed in the modal, or an error keyed by block id."""
    minutes = parse_minutes(ViewState(values).text("minutes"))
    if minutes is None or minutes <= 0:
        return None, {"minutes": "Write the minutes as a number (30) or a duration (1h15)."}
    if minutes > limits.LOGGED_MINUTES:
        return None, {"minutes": f"That is more than {limits.LOGGED_MINUTES // 60} hours; log one step at a time."}
    return minutes, {}


def reflection_modal(question: ReflectionQuestion, initial: str | None = None, *, channel: str | None = None,
                     ts: str | None = None) -> dict[str, Any]:
    """The "Write my answer" modal: the question again, and a private text box."""
    blocks: list[Block] = [
        section(f"*{escape(question.title)}*\n{question.body}"),
        input_block("answer", "Your answer",
                    text_input("value", multiline=True, max_length=limits.REFLECTION, initial=initial),
                    hint=f"Private: only you can see it. It is kept with the {week_label(question.week)} "
                         "and shows on your App Home."),
    ]
    return modal(REFLECTION_CALLBACK, "Reflection", blocks, submit="Save",
                 private_metadata=_metadata(question.prompt_id, channel, ts))


def parse_reflection_form(values: StateValues) -> tuple[str | None, dict[str, str]]:
    text = ViewState(values).text("answer").strip()
    if not text:
        return None, {"answer": "Write a few words, or close the window to answer later."}
    return text[:limits.REFLECTION], {}


def prompt_from_metadata(private_metadata: str) -> str | None:
    """The prompt id a modal was opened for (set by the bot, so only its shape is checked)."""
    value = read_metadata(private_metadata).get("prompt_id")
    return value if isinstance(value, str) and 0 < len(value) <= limits.PROMPT_ID else None


def message_from_metadata(private_metadata: str) -> tuple[str, str] | None:
    """(channel, ts) of the prompt message a modal was opened from, when it carried them."""
    data = read_metadata(private_metadata)
    channel, ts = data.get("channel"), data.get("ts")
    if isinstance(channel, str) and isinstance(ts, str) and channel and ts:
        return channel, ts
    return None
