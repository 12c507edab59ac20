"""``/lead start``: the two onboarding modals, their parsers, and the summary sent afterwards.

Step 1 is the self-assessment; step 2 (pushed on top of it) shows the suggested track with its
reason, the role, the focus (``auto``, "let lead-bot choose", first and selected) and an optional
first goal. Step 1's answers travel to step 2 in
``private_metadata``. Builders and parsers live together so the ids they share cannot drift apart.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from bot import limits
from bot.coaching.foundations import (
    FOCUS_MODE_LABELS,
    FOUNDATION_LABELS,
    FOUNDATIONS,
    ROLE_LABELS,
    ROLES,
    TRACK_LABELS,
    TRACKS,
)
from bot.coaching.onboarding import (
    GOAL_IDEAS,
    SCALE,
    STATEMENTS,
    TrackSuggestion,
    clean_answers,
    foundation_scores,
    is_complete,
)
from bot.mrkdwn import escape, truncate
from bot.services.types.onboarding import OnboardingChoice, OnboardingOutcome
from bot.views.blocks import Block, context, divider, input_block, message, modal, option, section, text_input
from bot.views.checkin import open_checkin_button
from bot.views.state import StateValues, ViewState, read_metadata

ASSESS_CALLBACK = "onboarding_assess"
CONFIRM_CALLBACK = "onboarding_confirm"
AUTO_FOCUS = "auto"  # the focus option that lets lead-bot choose (CONTRACT.md)
EXPIRED = "This form lost its answers. Close it and run `/lead start` again."
# Option descriptions are capped at 75 characters, so the foundations get short ones here.
FOCUS_HINTS = {
    "personality": "Quality work, clear words, open to other people's ideas",
    "upskilling": "Keep up with the field, make weekly time to learn",
    "delegation": "Enable people and processes instead of doing it all",
    "progress": "Measurable goals, regular reviews, celebrated wins",
}


def _block_id(statement_id: str) -> str:
    return f"s_{statement_id}"


FIRST_STATEMENT_BLOCK = _block_id(STATEMENTS[0].id)


# step 1 ------------------------------------------------------------------------------------------
def build_assessment_modal(previous: Mapping[str, object] | None = None, *, callback_id: str = ASSESS_CALLBACK,
                           title: str = "Where you stand", intro: str | None = None) -> dict[str, Any]:
    """The self-assessment, pre-filled with ``previous`` answers when the person ran it before.

    ``/lead review`` shows the same statements under its own ``callback_id``, title and ``intro``.
    """
    earlier = clean_answers(previous or {})
    if intro is None:
        intro = ("*Where do you stand today?* Rate how much each sentence sounds like you. There are no right "
                 "answers: this only decides what the bot suggests, and you can change everything afterwards.")
        if earlier:
            intro += "\n_Your earlier answers are filled in; change any that moved._"
    blocks: list[Block] = [section(intro), divider()]
    options = [option(label, str(level)) for level, label in SCALE.items()]
    for item in STATEMENTS:
        element: dict[str, Any] = {"type": "static_select", "action_id": "value", "options": options,
                                   "placeholder": {"type": "plain_text", "text": "Pick 1 to 5"}}
        if item.id in earlier:
            element["initial_option"] = options[earlier[item.id] - 1]
        blocks.append(input_block(_block_id(item.id), item.text, element))
    blocks.append(context("Your answers are private. They are stored with your profile so you can revisit them, "
                          "and `/lead forget` deletes them."))
    return modal(callback_id, title, blocks, submit="Next", close="Cancel")


def parse_assessment(values: StateValues) -> tuple[dict[str, int] | None, dict[str, str]]:
    """The step 1 answers, or errors keyed by block id."""
    state = ViewState(values)
    answers: dict[str, int] = {}
    errors: dict[str, str] = {}
    for item in STATEMENTS:
        raw = state.selected(_block_id(item.id))
        if raw in {"1", "2", "3", "4", "5"}:
            answers[item.id] = int(raw)
        else:
            errors[_block_id(item.id)] = "Pick how much this sounds like you, from 1 to 5."
    return (None, errors) if errors else (answers, {})


# step 2 ------------------------------------------------------------------------------------------
def focus_options(auto_now: str | None) -> list[dict[str, Any]]:
    """The focus choices: ``auto`` first ("let lead-bot choose"), then the four foundations."""
    auto = option(FOCUS_MODE_LABELS["auto"], AUTO_FOCUS,
                  f"Right now: {FOUNDATION_LABELS[auto_now]}" if auto_now else "Picked after your first check-in")
    return [auto, *(option(FOUNDATION_LABELS[f], f, FOCUS_HINTS[f]) for f in FOUNDATIONS)]


def role_element(current: str | None) -> dict[str, Any]:
    options = [option(ROLE_LABELS[r], r) for r in ROLES]
    element: dict[str, Any] = {"type": "radio_buttons", "action_id": "value", "options": options}
    if current in ROLES:
        element["initial_option"] = options[ROLES.index(current)]
    return element


ROLE_HINT = "Prompts are matched to it: only managers get the ones that assume people report to them."


def build_confirm_modal(answers: Mapping[str, int], suggestion: TrackSuggestion, focus: str, *,
                        current_track: str | None = None, current_role: str | None = None,
                        auto_focus: str | None = None, auto_from_checkins: bool = False) -> dict[str, Any]:
    """Step 2: the suggestion and its reason, the track, role and focus choices, an optional first goal.

    ``focus`` is the foundation the answers rate lowest; ``auto_focus`` what "let lead-bot choose"
    gives right now (from the last check-ins when ``auto_from_checkins``, else from the answers).
    """
    auto_now = auto_focus or focus
    track_options = [option(TRACK_LABELS[t], t) for t in TRACKS]
    track_element: dict[str, Any] = {"type": "radio_buttons", "action_id": "value", "options": track_options,
                                     "initial_option": track_options[TRACKS.index(suggestion.track)]}
    options = focus_options(auto_now)
    focus_element: dict[str, Any] = {"type": "static_select", "action_id": "value", "options": options,
                                     "initial_option": options[0]}
    scores = foundation_scores(answers)
    score_line = " · ".join(f"{FOUNDATION_LABELS[f]} {scores[f]:.1f}" for f in FOUNDATIONS)
    if auto_from_checkins:
        focus_hint = (f"Letting lead-bot choose follows your last four check-ins; today that is "
                      f"{FOUNDATION_LABELS[auto_now]}. Or pick one foundation yourself.")
    else:
        focus_hint = (f"Your answers rate {FOUNDATION_LABELS[focus]} lowest, so lead-bot starts there, then follows "
                      "your weekly check-ins. Or pick one foundation yourself.")
    blocks: list[Block] = [
        section(f"*Suggested track: {TRACK_LABELS[suggestion.track]}*\n{suggestion.reason}"),
    ]
    if current_track and current_track != suggestion.track:
        blocks.append(context(f"You currently follow *{TRACK_LABELS[current_track]}*; pick it again below to keep "
                              "it."))
    blocks += [
        input_block("track", "Your track", track_element,
                    hint="Confirm the suggestion or pick another. You can change it later in /lead settings."),
        input_block("role", "Your role", role_element(current_role), hint=ROLE_HINT),
        divider(),
        section(f"*Your answers per foundation* (1–5)\n{score_line}"),
        input_block("focus", "Your focus for the coming weeks", focus_element, hint=focus_hint),
        divider(),
        section("*A first goal* (optional)\nSomething measurable you could finish in a month or two."),
        input_block("goal_title", "Goal", text_input("value", max_length=limits.GOAL_TITLE,
                                                     placeholder=GOAL_IDEAS[auto_now]), optional=True),
        input_block("goal_foundation", "Foundation for this goal",
                    {"type": "static_select", "action_id": "value",
                     "options": [option(FOUNDATION_LABELS[f], f) for f in FOUNDATIONS],
                     "placeholder": {"type": "plain_text", "text": "Same as your focus"}},
                    optional=True, hint="Leave it empty to file the goal under your focus."),
    ]
    metadata = json.dumps({"answers": dict(answers)}, separators=(",", ":"))
    return modal(CONFIRM_CALLBACK, "Your track and focus", blocks, submit="Save", close="Back",
                 private_metadata=metadata)


def answers_from_metadata(private_metadata: str) -> dict[str, int] | None:
    """Step 1's answers carried in step 2's metadata; None when they are missing or incomplete."""
    raw = read_metadata(private_metadata).get("answers")
    if not isinstance(raw, dict) or not is_complete(raw):
        return None
    return clean_answers(raw)


def parse_focus(state: ViewState, errors: dict[str, str]) -> tuple[str, str | None]:
    """The focus select: (``auto``, None) or (``chosen``, the foundation); an error when it is neither."""
    picked = state.selected("focus")
    if picked == AUTO_FOCUS:
        return "auto", None
    if picked in FOUNDATIONS:
        return "chosen", picked
    errors["focus"] = "Let lead-bot choose, or pick one foundation to focus on."
    return "auto", None


def parse_confirm(values: StateValues, private_metadata: str) -> tuple[OnboardingChoice | None, dict[str, str]]:
    """Step 2's choices, or errors keyed by block id."""
    state = ViewState(values)
    errors: dict[str, str] = {}
    answers = answers_from_metadata(private_metadata)
    if answers is None:
        errors["track"] = EXPIRED
    track = state.selected("track")
    if track not in TRACKS:
        errors.setdefault("track", "Pick a track; the suggestion is only a starting point.")
    role = state.selected("role")
    if role not in ROLES:
        errors["role"] = "Pick your role; it decides which prompts fit you."
    focus_mode, focus = parse_focus(state, errors)
    title = " ".join(state.text("goal_title").split())
    if len(title) > limits.GOAL_TITLE:
        errors["goal_title"] = f"Keep the goal under {limits.GOAL_TITLE} characters."
    goal_foundation = state.selected("goal_foundation")
    if goal_foundation is not None and goal_foundation not in FOUNDATIONS:
        errors["goal_foundation"] = "Pick one of the four foundations, or leave it empty."
    if errors or answers is None or track is None or role is None:
        return None, errors
    return OnboardingChoice(answers=answers, track=track, role=role, focus_mode=focus_mode, focus=focus,
                            goal_title=title or None, goal_foundation=goal_foundation if title else None), {}


# the summary ---------------------------------------------------------------------------------------
def onboarding_summary(outcome: OnboardingOutcome) -> dict[str, Any]:
    """The DM after step 2: where they landed and one first step for this week."""
    track, focus, step = outcome.track, outcome.focus, outcome.first_step
    goal_title, goal_foundation = outcome.goal_title, outcome.goal_foundation
    opening = "Your profile is updated." if outcome.updated else "You're set up. Welcome aboard!"
    how = ("lead-bot's choice: your weakest foundation, following your check-ins" if outcome.focus_mode == "auto"
           else "your choice")
    lines = [f":compass: {opening}",
             f"*Track:* {TRACK_LABELS[track]}\n*Role:* {ROLE_LABELS[outcome.role]}\n"
             f"*Focus:* {FOUNDATION_LABELS[focus]} ({how})"]
    blocks: list[Block] = [section("\n".join(lines)),
                           section(f"*Your first step this week*\n{step}")]
    if goal_title and goal_foundation:
        blocks.append(section(f":dart: First goal saved: *{escape(truncate(goal_title, limits.GOAL_TITLE))}* "
                              f"({FOUNDATION_LABELS[goal_foundation]}). See it with `/lead goals`."))
    blocks.append(context("Every week: check in, take one step on your focus, share a win. "
                          "`/lead settings` changes your focus, role and nudges; `/lead start` runs this again."))
    blocks.append(open_checkin_button("Do this week's check-in"))
    text = (f"{opening} Track: {TRACK_LABELS[track]}. Focus: {FOUNDATION_LABELS[focus]}. "
            f"First step this week: {step}")
    return message(text, blocks)
