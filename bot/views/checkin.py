"""The weekly check-in modal: its builder and the parser for what comes back on submit.

Both live here so the block and action ids they share cannot drift apart.
"""

from __future__ import annotations

import re
from typing import Any

from bot import limits
from bot.coaching.foundations import (
    ENERGY,
    ENERGY_LABELS,
    FOUNDATION_LABELS,
    FOUNDATION_SUMMARIES,
    FOUNDATIONS,
    PRACTICES,
    RATING_SCALE,
)
from bot.services.types.checkins import CheckinDefaults, CheckinForm
from bot.views.blocks import Block, actions, button, context, divider, input_block, modal, option, section, text_input
from bot.views.dates import week_label, week_span, week_title
from bot.views.state import StateValues, ViewState

CALLBACK_ID = "checkin"
# Every "check in" button (App Home, nudges, onboarding) opens this modal through one action.
OPEN_ACTION = "open_checkin"
_DURATION = re.compile(r"^(?:(?P<h>\d+(?:[.,]\d+)?)\s*h(?:ours?|rs?)?)?\s*(?:(?P<m>\d+)\s*m(?:in(?:utes?|s)?)?)?$")


def build_checkin_modal(week: str, *, defaults: CheckinDefaults | None = None,
                        focus: str | None = None) -> dict[str, Any]:
    """The modal for ``week``; ``defaults`` pre-fills an update of this week's check-in."""
    defaults = defaults or CheckinDefaults()
    updating = defaults.ratings is not None
    # The same week the nudge names: the one this check-in is filed under (its submission week).
    title = f"*{week_title(week)}* ({week_span(week)})."
    intro = (f"{title} You already checked in for this week; saving again updates it."
             if updating else f"{title} Two minutes to look back on this week as an engineer who leads.")
    blocks = [section(intro)]
    if focus:
        blocks.append(context(f":dart: Your focus: *{FOUNDATION_LABELS[focus]}*"))
    blocks.append(divider())
    for key in FOUNDATIONS:
        blocks.append(_rating_input(key, (defaults.ratings or {}).get(key)))
    blocks.append(_energy_input(defaults.energy))
    minutes = defaults.learning_minutes
    hint = "Reading, courses, trying a new tool. 0 is an honest answer."
    if defaults.logged_minutes:
        logged = f"You logged {defaults.logged_minutes} min with “I did it” this week"
        hint = (f"{logged}; they are filled in. Add anything else you learned. This number is the week's total."
                if not updating else f"{logged}. This number is the week's total.")
    blocks.append(input_block(
        "minutes", "Minutes spent learning this week",
        text_input("value", max_length=20, initial=str(minutes) if minutes is not None else None,
                   placeholder="e.g. 90, 1h30, 45m"),
        hint=hint))
    blocks.append(_practices_input(defaults.practices))
    blocks.append(input_block(
        "reflection", "Private reflection",
        text_input("value", multiline=True, max_length=limits.REFLECTION, initial=defaults.reflection,
                   placeholder="What went well, what you would do differently, what you learned about leading."),
        optional=True, hint="Only you can see this."))
    blocks.append(divider())
    blocks.append(input_block(
        "win", "A win this week",
        text_input("value", multiline=True, max_length=limits.WIN_TEXT, placeholder="Big or small: it counts."),
        optional=True))
    blocks.append(input_block(
        "share", "Share the win?",
        {"type": "checkboxes", "action_id": "value",
         "options": [option("Share this win with my team", "yes")]},
        optional=True))
    # "Check-in: week of 30 Nov" is 24 characters, a modal title's limit, for any week.
    return modal(CALLBACK_ID, f"Check-in: {week_label(week)}", blocks, submit="Save check-in")


def open_checkin_button(label: str = "Check in now", *, value: str = "checkin", block_id: str | None = None) -> Block:
    """The button that opens this week's check-in modal."""
    return actions(button(label, OPEN_ACTION, value, style="primary"), block_id=block_id)


def _rating_input(key: str, initial: int | None) -> dict[str, Any]:
    options = [option(RATING_SCALE[key][level], str(level)) for level in range(1, 6)]
    element: dict[str, Any] = {"type": "radio_buttons", "action_id": "value", "options": options}
    if initial in RATING_SCALE[key]:
        element["initial_option"] = options[initial - 1]
    return input_block(f"rating_{key}", FOUNDATION_LABELS[key], element, hint=FOUNDATION_SUMMARIES[key])


def _energy_input(initial: str | None) -> dict[str, Any]:
    options = [option(ENERGY_LABELS[value], value) for value in ENERGY]
    element: dict[str, Any] = {"type": "radio_buttons", "action_id": "value", "options": options}
    if initial in ENERGY:
        element["initial_option"] = options[ENERGY.index(initial)]
    return input_block("energy", "What gave you energy this week?", element, optional=True,
                       hint="One tap, if you like. Over the weeks it shows which kind of work pulls you.")


def _practices_input(selected: tuple[str, ...]) -> dict[str, Any]:
    options = [option(label, key) for key, label in PRACTICES.items()]
    element: dict[str, Any] = {"type": "checkboxes", "action_id": "value", "options": options}
    chosen = [opt for opt in options if opt["value"] in selected]
    if chosen:
        element["initial_options"] = chosen
    return input_block("practices", "Leadership practices this week", element, optional=True)


def parse_checkin(values: StateValues) -> tuple[CheckinForm | None, dict[str, str]]:
    """Turn ``view.state.values`` into a form, or into errors keyed by block id."""
    state = ViewState(values)
    errors: dict[str, str] = {}
    ratings: dict[str, int] = {}
    for key in FOUNDATIONS:
        raw = state.selected(f"rating_{key}")
        if raw not in {"1", "2", "3", "4", "5"}:
            errors[f"rating_{key}"] = "Pick a level from 1 to 5."
        else:
            ratings[key] = int(raw)
    minutes_text = state.text("minutes")
    minutes = parse_minutes(minutes_text)
    if minutes is None:
        errors["minutes"] = "Write minutes as a number (90) or a duration (1h30, 45m)."
    elif minutes > limits.CHECKIN_MINUTES:
        errors["minutes"] = (f"That is more than {limits.CHECKIN_MINUTES // 60} hours; "
                             "write the minutes for this week only.")
    energy = state.selected("energy")
    if energy is not None and energy not in ENERGY:
        errors["energy"] = "Pick one answer, or leave it empty."
    practices = [p for p in state.selections("practices") if p in PRACTICES]
    reflection = state.text("reflection").strip() or None
    win = state.text("win").strip() or None
    share = "yes" in state.selections("share")
    if share and not win:
        errors["win"] = "Write the win you want to share, or untick “Share this win”."
    if errors:
        return None, errors
    return CheckinForm(ratings, minutes or 0, practices, reflection, win, share, energy=energy), {}


def parse_minutes(text: str) -> int | None:
    """Minutes from ``90``, ``90m``, ``1h``, ``1h30``, ``1.5h`` or ``1h 30m``; None when unreadable."""
    cleaned = text.strip().lower().replace(" ", "")
    # No week's learning takes more than a few characters to write; a long string is no duration
    # (and int() refuses more than 4,300 digits, float() turns them into infinity).
    if not cleaned or len(cleaned) > 16:
        return None
    if cleaned.isascii() and cleaned.isdigit():  # "²".isdigit() is true, int("²") fails
        return int(cleaned)
    match = _DURATION.match(cleaned)
    if not match or not (match.group("h") or match.group("m")):
        # "1h30" has no unit on the minutes; accept it too.
        short = re.match(r"^(\d+)h(\d{1,2})$", cleaned)
        return int(short.group(1)) * 60 + int(short.group(2)) if short else None
    hours = float((match.group("h") or "0").replace(",", "."))
    return round(hours * 60) + int(match.group("m") or 0)
