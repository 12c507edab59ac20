"""The reviews as Slack shows them: the focus review DM and its focus buttons (also under the check-in
confirmation), the growth-review invitation, the growth review's before-and-after step and summary.

Pure builders beside their parsers, so the ids they share cannot drift apart. A focus button's value
names the person the message was sent to and the foundation it offers (:func:`offer_value`); the
service refuses a click by anyone else. Dates, never ISO week codes, in everything a person reads.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from bot.coaching.foundations import ENERGY, ENERGY_LABELS, FOUNDATION_LABELS, TRACK_LABELS, TRACKS
from bot.coaching.onboarding import clean_answers, is_complete, statement
from bot.coaching.review import FoundationChange
from bot.mrkdwn import escape
from bot.services.types.review import (
    FocusChanged,
    FocusChoice,
    FocusOffer,
    FocusReviewMessage,
    GrowthInvite,
    GrowthReview,
    GrowthReviewSaved,
)
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
    option,
    section,
)
from bot.views.dates import day_label
from bot.views.onboarding import build_assessment_modal, parse_assessment
from bot.views.state import StateValues, ViewState, read_metadata

# Buttons: the same three wherever a focus change is offered.
FOCUS_SWITCH = "focus_switch"
FOCUS_KEEP = "focus_keep"
FOCUS_AUTO = "focus_auto"
FOCUS_ACTIONS: Mapping[str, str] = {FOCUS_SWITCH: FocusChoice.SWITCH, FOCUS_KEEP: FocusChoice.KEEP,
                                    FOCUS_AUTO: FocusChoice.AUTO}
OFFER_BLOCK = "focus_offer"
GROWTH_OPEN = "growth_review_open"

# Modals.
REVIEW_ASSESS_CALLBACK = "growth_review_assess"
REVIEW_CONFIRM_CALLBACK = "growth_review_confirm"

FOCUS_NOT_YOURS = "Those focus buttons belong to a message sent to someone else, so nothing was changed."
EXPIRED = "This form lost your answers. Close it and run `/lead review` again."
NO_FIRST_ASSESSMENT = ("The growth review compares your answers with your last self-assessment, and you have none "
                       "yet. Run `/lead start` first; `/lead review` then shows what moved.")
REVIEW_INTRO = ("*Your growth review.* The same statements as last time, with your answers filled in. Change any that "
                "moved; the next step shows before and after, side by side.")


def _label(foundation: str | None) -> str:
    return FOUNDATION_LABELS.get(foundation or "", "none yet")


# the focus buttons ---------------------------------------------------------------------------------------
def offer_value(user_id: str, foundation: str | None = None) -> str:
    """A focus button's value: whom the message went to, and the foundation the button names."""
    return f"{user_id}:{foundation}" if foundation else user_id


def parse_choice(action_id: str, value: str) -> FocusChoice:
    """The click as the service takes it; the service refuses anything it never offered."""
    owner, _, foundation = value.partition(":")
    return FocusChoice(action=FOCUS_ACTIONS.get(action_id, ""), owner=owner, foundation=foundation or None)


def _offer_buttons(offer: FocusOffer, switch_label: str) -> list[dict[str, Any]]:
    buttons = []
    if offer.suggested:
        buttons.append(button(switch_label, FOCUS_SWITCH, offer_value(offer.user_id, offer.suggested),
                              style="primary"))
        if offer.current:
            buttons.append(button(f"Keep {_label(offer.current)}", FOCUS_KEEP,
                                  offer_value(offer.user_id, offer.current)))
    if offer.mode == "chosen":
        buttons.append(button("Let lead-bot choose", FOCUS_AUTO, offer_value(offer.user_id)))
    return buttons


def checkin_focus_offer(offer: FocusOffer) -> list[Block]:
    """Under a check-in confirmation: the week's toughest area, offered as the new focus."""
    if not offer.suggested:
        return []
    text = (f":arrows_counterclockwise: *{_label(offer.suggested)}* was your toughest area this week, and your focus "
            f"is *{_label(offer.current)}*. Make {_label(offer.suggested)} your focus? Most of your prompts would aim "
            "there from now on.")
    return [section(text, block_id="focus_offer_text"),
            actions(*_offer_buttons(offer, f"Focus on {_label(offer.suggested)}"), block_id=OFFER_BLOCK)]


def focus_choice_result(original_blocks: Sequence[Mapping[str, Any]] | None, changed: FocusChanged) -> dict[str, Any]:
    """The message the buttons were on, updated in place: the buttons gone, what happened said."""
    outcome = _outcome_text(changed)
    kept: list[Block] = [dict(b) for b in original_blocks or []
                         if not (b.get("type") == "actions" and b.get("block_id") == OFFER_BLOCK)]
    kept.append(section(f":white_check_mark: {outcome}", block_id="focus_outcome"))
    return message(outcome, kept)


def _outcome_text(changed: FocusChanged) -> str:
    focus = _label(changed.focus)
    if changed.action == FocusChoice.SWITCH:
        return (f"Done: your focus is now {focus}, your choice. Most of your next prompts aim there; "
                "`/lead settings` changes it any time.")
    if changed.action == FocusChoice.AUTO:
        if changed.focus is None:
            return ("Done: lead-bot now chooses your focus, your weakest foundation over your last four check-ins. "
                    "It picks one after your first check-in.")
        return (f"Done: lead-bot now chooses your focus, your weakest foundation over your last four check-ins. "
                f"Right now that is {focus}.")
    if changed.mode == "auto":
        return f"Nothing changed: lead-bot keeps choosing your focus, {focus} right now."
    return f"Nothing changed: your focus stays {focus}."


# the focus review ----------------------------------------------------------------------------------------
def _number(value: float) -> str:
    return f"{value:.1f}"


def _change_line(change: FoundationChange, recent_from: date) -> str:
    name = f"*{FOUNDATION_LABELS[change.foundation]}*"
    if change.before is not None and change.after is not None and change.change is not None:
        moved = "no change" if abs(change.change) < 0.05 else f"{change.change:+.1f}"
        return f"{name}: {_number(change.before)} → {_number(change.after)} ({moved})"
    if change.after is not None:
        return f"{name}: {_number(change.after)} (no rating in the four weeks before)"
    if change.before is not None:
        return f"{name}: {_number(change.before)} before, no rating since {day_label(recent_from)}"
    return f"{name}: no rating in these eight weeks"


def focus_review_message(data: FocusReviewMessage) -> dict[str, Any]:
    """The focus review DM: four weeks against the four before, the weakest, and the focus buttons."""
    offer = data.offer
    opening = (f"Hi {escape(data.first_name)}, here is how your ratings moved: your average over the last four weeks "
               f"(since {day_label(data.recent_from)}) against the four weeks before "
               f"({day_label(data.before_from)} to {day_label(data.before_to)}).")
    lines = "\n".join(_change_line(change, data.recent_from) for change in data.changes)
    blocks: list[Block] = [header("Your focus review"), section(opening), section(lines, block_id="changes")]
    averages = {c.foundation: c.after for c in data.changes if c.after is not None}
    notes = []
    if data.suggested is not None and data.suggested in averages:
        notes.append(f":dart: Your weakest foundation over the last four weeks is *{_label(data.suggested)}* "
                     f"({_number(averages[data.suggested])} on average).")
    if offer.mode != "chosen":
        notes.append(f"lead-bot chooses your focus from your last four check-ins, so it follows your ratings by "
                     f"itself: right now it is *{_label(offer.current)}*.")
    elif offer.suggested:
        notes.append(f"Your focus is *{_label(offer.current)}*, which you chose. Switch to {_label(offer.suggested)}? "
                     "Most of your prompts would aim there from now on.")
    else:
        notes.append(f"That is the focus you chose, *{_label(offer.current)}*: a good place to keep working.")
    blocks.append(section("\n".join(notes), block_id="suggestion"))
    buttons = _offer_buttons(offer, f"Switch to {_label(offer.suggested)}")
    if buttons:
        blocks.append(actions(*buttons, block_id=OFFER_BLOCK))
    blocks.append(context(":lock: Only you see your ratings. `/lead settings` changes your focus any time."))
    summary = "Your focus review: how your ratings moved over the last four weeks"
    if offer.suggested:
        summary += f", and an offer to focus on {_label(offer.suggested)}"
    return message(summary + ".", blocks)


# the growth review ---------------------------------------------------------------------------------------
def growth_invite_message(data: GrowthInvite) -> dict[str, Any]:
    """The invitation to ``/lead review``, with a button that opens it."""
    text = (f":seedling: Hi {escape(data.first_name)}, your last self-assessment was on "
            f"{day_label(data.last_taken)}, {data.weeks_since} weeks ago. A growth review takes about five minutes: "
            "the same statements with your answers filled in, then before and after side by side, with what gave "
            "you energy since and whether your track still fits.")
    blocks: list[Block] = [section(text),
                           actions(button("Start my growth review", GROWTH_OPEN, "review", style="primary"),
                                   block_id="growth_review"),
                           context("`/lead review` runs it any time. Until you take it, this reminder comes back at "
                                   "most once every four weeks.")]
    return message(f"Time for a growth review: your last self-assessment was {data.weeks_since} weeks ago.", blocks)


def build_review_modal(previous: Mapping[str, object]) -> dict[str, Any]:
    """Step 1: the self-assessment again, pre-filled with the latest answers."""
    return build_assessment_modal(previous, callback_id=REVIEW_ASSESS_CALLBACK, title="Growth review",
                                  intro=REVIEW_INTRO)


parse_review_answers = parse_assessment


def _signed(change: float | None) -> str:
    if change is None:
        return ""
    return " (no change)" if abs(change) < 0.05 else f" ({change:+.1f})"


def _answer(value: int | None) -> str:
    return "–" if value is None else str(value)


def _weeks(count: int) -> str:
    return f"{count} week{'s' if count != 1 else ''}"


def _energy_line(review: GrowthReview) -> str:
    split = review.energy
    counts = ", ".join(f"{ENERGY_LABELS[value].lower()} {_weeks(split.counts[value])}" for value in ENERGY)
    line = f"Over the {_weeks(split.answered + split.unanswered)} since {day_label(review.before_taken)}: {counts}"
    if split.unanswered:
        line += f"; {split.unanswered} without an answer"
    return f"{line}.\n{review.energy_note}"


def build_review_result_modal(review: GrowthReview) -> dict[str, Any]:
    """Step 2: before and after, per statement and per side, the energy split, the track, and a choice."""
    comparison = review.comparison
    statements = "\n".join(
        f"• {statement(c.statement).short}: {_answer(c.before)} → {_answer(c.after)}"
        + ("" if c.change is None or c.change == 0 else f" ({c.change:+d})")
        for c in comparison.statements)
    sides = "\n".join(
        f"• {side.side.capitalize()} side: "
        + (f"{side.before:.1f}" if side.before is not None else "–") + " → "
        + (f"{side.after:.1f}" if side.after is not None else "–") + _signed(side.change)
        for side in comparison.sides)
    fit = comparison.track_fit
    track_options = [option(TRACK_LABELS[t], t) for t in TRACKS]
    keep = review.track if review.track in TRACKS else fit.suggested
    track_element: dict[str, Any] = {"type": "radio_buttons", "action_id": "value", "options": track_options,
                                     "initial_option": track_options[TRACKS.index(keep)]}
    blocks: list[Block] = [
        section(f"*Before and after*: your self-assessment of {day_label(review.before_taken)} and today's (1–5)."),
        section(f"*Per statement*\n{statements}", block_id="statements"),
        section(f"*Per side*\n{sides}", block_id="sides"),
        divider(),
        section(f"*What gave you energy*\n{_energy_line(review)}", block_id="energy"),
        divider(),
        section(f"*Does your track still fit?*\n{fit.reason}", block_id="track_fit"),
        input_block("track", "Your track", track_element,
                    hint="Keep it or pick another. Saving stores this review as your new self-assessment."),
    ]
    metadata = json.dumps({"answers": dict(review.answers)}, separators=(",", ":"))
    return modal(REVIEW_CONFIRM_CALLBACK, "Before and after", blocks, submit="Save", close="Back",
                 private_metadata=metadata)


def parse_review_result(values: StateValues, private_metadata: str
                        ) -> tuple[tuple[dict[str, int], str] | None, dict[str, str]]:
    """The new answers (carried in the metadata) and the track, or errors keyed by block id."""
    raw = read_metadata(private_metadata).get("answers")
    answers = clean_answers(raw) if isinstance(raw, dict) and is_complete(raw) else None
    track = ViewState(values).selected("track")
    if answers is None:
        return None, {"track": EXPIRED}
    if track not in TRACKS:
        return None, {"track": "Pick a track: keep yours or choose another."}
    return (answers, track), {}


def review_saved_message(saved: GrowthReviewSaved) -> dict[str, Any]:
    """The DM after the growth review is saved."""
    track = TRACK_LABELS[saved.track]
    if saved.previous_track and saved.previous_track != saved.track:
        track_line = f"Your track is now *{track}* (it was {TRACK_LABELS.get(saved.previous_track, 'none')})."
    elif saved.previous_track:
        track_line = f"You keep your track, *{track}*."
    else:
        track_line = f"Your track is now *{track}*."
    text = (f":seedling: Growth review saved: that is self-assessment number {saved.assessments}. {track_line} "
            "The next review compares with today's answers.")
    return message(text.replace("*", ""), [section(text)])
