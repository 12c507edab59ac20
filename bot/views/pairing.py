"""Practice together: the ``/lead pair`` modal, a round's DMs, and "did you meet?".

A seeker's note and a note to self are people's words: escaped here. Question texts come from
the library, which validated them as plain mrkdwn. The only mentions are the partner's.
"""

from __future__ import annotations

import json
from typing import Any, Final

from bot import limits
from bot.coaching.foundations import PAIRING_KIND_LABELS, PAIRING_KINDS, PAIRING_PRACTICE, PRACTICES
from bot.mrkdwn import escape, truncate
from bot.services.types.pairing import (
    Answer,
    AnswerRecorded,
    FollowupQuestion,
    LeftOutDM,
    PairingDM,
    PairingForm,
    PairingSaved,
    PairingSettings,
)
from bot.views.blocks import (
    Block,
    actions,
    button,
    context,
    input_block,
    message,
    modal,
    notice,
    option,
    section,
    text_input,
)
from bot.views.dates import week_label
from bot.views.state import StateValues, ViewState, read_metadata

PAIR_CALLBACK: Final = "pair_prefs"
SELF_NOTE_CALLBACK: Final = "pair_self_note"
MET_ACTIONS: Final[dict[str, Answer]] = {"pair_met_yes": Answer.YES, "pair_met_not_yet": Answer.NOT_YET,
                                         "pair_met_skip": Answer.SKIP}
SELF_NOTE_ACTION: Final = "pair_note_open"
ON, OFF = "on", "off"

_ROLE_HINTS: Final = {
    "manager": "As a manager you are a natural person to interview, so offering informational interviews is "
               "suggested. Change it freely.",
    "engineer": "Engineers growing toward a hybrid role learn a lot from talking with managers, so seeking an "
                "informational interview is suggested. Change it freely.",
    "tech_lead": "Tech leads weighing the management track learn a lot from talking with managers, so seeking an "
                 "informational interview is suggested. Change it freely.",
}


def kind_label(kind: str) -> str:
    return PAIRING_KIND_LABELS.get(kind, kind)


def _kinds_select(action_placeholder: str, initial: tuple[str, ...]) -> dict[str, Any]:
    options = [option(PAIRING_KIND_LABELS[kind], kind) for kind in PAIRING_KINDS]
    element: dict[str, Any] = {"type": "multi_static_select", "action_id": "value", "options": options,
                               "placeholder": {"type": "plain_text", "text": action_placeholder}}
    chosen = [opt for opt in options if opt["value"] in initial]
    if chosen:
        element["initial_options"] = chosen
    return element


# the /lead pair modal ------------------------------------------------------------------------------------
def pair_modal(settings: PairingSettings) -> dict[str, Any]:
    switch = [option("On: pair me in the next rounds", ON), option("Off: leave me out for now", OFF)]
    blocks: list[Block] = [
        section("Informational interviews, shadowing and mentoring need a second person. Every two weeks lead-bot "
                "pairs each person who seeks one of them with someone who offers it, with working hours that "
                "overlap, and sends both of you three questions to start with."),
        input_block("seeks", "I'd like to practise", _kinds_select("Choose what you seek", settings.seeks),
                    optional=True),
        input_block("offers", "I can offer", _kinds_select("Choose what you offer", settings.offers),
                    optional=True),
        input_block("note", "A note for your partner",
                    text_input("value", max_length=limits.PAIRING_NOTE, initial=settings.note,
                               placeholder="e.g. I'd love to see how you run planning"),
                    optional=True, hint="Shown to the person you are paired with when you are the one seeking."),
        input_block("enabled", "Pairing", {"type": "radio_buttons", "action_id": "value", "options": switch,
                                           "initial_option": switch[0] if settings.enabled else switch[1]}),
    ]
    notes = []
    if settings.suggested and settings.role in _ROLE_HINTS:
        notes.append(_ROLE_HINTS[settings.role or ""])
    if settings.paused:
        notes.append("You have paused lead-bot, so you are left out of pairing until the pause ends.")
    if notes:
        blocks.append(context(*notes))
    return modal(PAIR_CALLBACK, "Practice pairing", blocks, submit="Save")


def parse_pair_form(values: StateValues) -> tuple[PairingForm | None, dict[str, str]]:
    state = ViewState(values)
    seeks = tuple(kind for kind in PAIRING_KINDS if kind in state.selections("seeks"))
    offers = tuple(kind for kind in PAIRING_KINDS if kind in state.selections("offers"))
    note = " ".join(state.text("note").split()) or None
    enabled = state.selected("enabled") != OFF
    if note is not None and len(note) > limits.PAIRING_NOTE:
        return None, {"note": f"Keep the note under {limits.PAIRING_NOTE} characters."}
    if enabled and not seeks and not offers:
        return None, {"seeks": "Choose at least one thing to seek or to offer, or switch pairing off."}
    return PairingForm(seeks=seeks, offers=offers, note=note, enabled=enabled), {}


def pair_saved(saved: PairingSaved) -> dict[str, Any]:
    form = saved.form
    if not form.enabled:
        return notice("Pairing is off: you won't be paired until you switch it back on with `/lead pair`.")
    parts = []
    if form.seeks:
        parts.append("seeking " + ", ".join(kind_label(k).lower() for k in form.seeks))
    if form.offers:
        parts.append("offering " + ", ".join(kind_label(k).lower() for k in form.offers))
    text = f":handshake: Saved: {' and '.join(parts)}. The next round is in the {week_label(saved.next_round)}."
    if saved.paused:
        text += " You are paused right now, so a round during the pause leaves you out."
    return notice(text)


# a round's DMs ---------------------------------------------------------------------------------------------
def pairing_dm(data: PairingDM) -> dict[str, Any]:
    kind = kind_label(data.kind)
    partner = f"<@{data.partner}>"
    if data.role == "seeker":
        intro = (f":handshake: This round you and {partner} practise *{kind.lower()}*: you asked for it and "
                 f"{partner} offered it. Your working hours overlap by at least two hours; send them a message to "
                 "pick a time.")
    else:
        intro = (f":handshake: This round {partner} would like *{kind.lower()}* with you, which you offered. "
                 "Your working hours overlap by at least two hours; they may write first, or you can.")
    blocks: list[Block] = [section(intro, block_id="pair")]
    if data.note:
        whose = "Your note" if data.role == "seeker" else "Their note"
        blocks.append(section(f"*{whose}:*\n> {escape(truncate(data.note, limits.PAIRING_NOTE))}", block_id="note"))
    if data.questions:
        lines = "\n".join(f"{number}. {text}" for number, text in enumerate(data.questions, start=1))
        blocks.append(section(f"*Three ways to start*\n{lines}", block_id="questions"))
    blocks.append(context(f"In the {week_label(data.followup_week)} I'll ask you both whether you met; a meeting "
                          f"counts as _{PRACTICES[PAIRING_PRACTICE[data.kind]]}_ that week. `/lead pair` changes "
                          "what you seek or offer."))
    return message(f"Practice pair: you and <@{data.partner}>, {kind.lower()}.", blocks)


def left_out_dm(data: LeftOutDM) -> dict[str, Any]:
    kinds = ", ".join(kind_label(k).lower() for k in data.kinds) or "practice"
    text = (f":seedling: No partner for {escape(kinds)} this round, sorry: everyone who offers it was taken, or "
            f"their working hours don't overlap with yours. You go first in the next round, in the "
            f"{week_label(data.next_round)}.")
    blocks: list[Block] = [section(text, block_id="left_out"),
                           context("Nothing to do meanwhile. `/lead pair` changes what you seek.")]
    return message("No practice partner this round; you go first next time.", blocks)


# did you meet? ----------------------------------------------------------------------------------------------
def followup_question(data: FollowupQuestion) -> dict[str, Any]:
    kind = kind_label(data.kind).lower()
    value = str(data.pair_id)
    blocks: list[Block] = [
        section(f":wave: Did you and <@{data.partner}> meet for your {kind} (the round of the "
                f"{week_label(data.round)})?", block_id="question"),
        actions(button("Yes, we met", "pair_met_yes", value, style="primary"),
                button("Not yet", "pair_met_not_yet", value), button("Skip", "pair_met_skip", value),
                block_id="answer"),
        context(f"\"Yes\" counts as _{PRACTICES[PAIRING_PRACTICE[data.kind]]}_ this week in your check-in and stats."),
    ]
    return message(f"Did you and <@{data.partner}> meet?", blocks)


def answer_recorded(recorded: AnswerRecorded) -> dict[str, Any]:
    """What the question turns into once answered."""
    if recorded.answer is Answer.YES:
        practice = PRACTICES[PAIRING_PRACTICE[recorded.kind]]
        blocks: list[Block] = [
            section(f":white_check_mark: Great. Your meeting with <@{recorded.partner}> counts as _{practice}_ in "
                    f"the {week_label(recorded.week)}, in your check-in and stats.", block_id="answered"),
            actions(button("Add a note to self", SELF_NOTE_ACTION, str(recorded.pair_id)), block_id="self_note"),
            context("A one-line note only you see: what you want to remember from it."),
        ]
        return message("Meeting recorded.", blocks)
    if recorded.answer is Answer.NOT_YET:
        return notice(f"Noted. No rush: a message to <@{recorded.partner}> is often all it takes to find a time. "
                      "Nothing is counted until you meet.")
    return notice("Skipped: nothing is counted for this pair.")


def self_note_modal(pair_id: int) -> dict[str, Any]:
    blocks: list[Block] = [input_block("note", "Note to self", text_input("value", max_length=limits.SELF_NOTE,
                                       placeholder="e.g. Ask for feedback before the review, not after"),
                                       hint="Private: only you see it (and your export).")]
    return modal(SELF_NOTE_CALLBACK, "Note to self", blocks, private_metadata=json.dumps({"pair": pair_id}))


def parse_self_note(values: StateValues) -> tuple[str | None, dict[str, str]]:
    note = " ".join(ViewState(values).text("note").split())
    if not note:
        return None, {"note": "Write a few words, or close this form."}
    if len(note) > limits.SELF_NOTE:
        return None, {"note": f"Keep it under {limits.SELF_NOTE} characters."}
    return note, {}


def pair_from_metadata(private_metadata: str) -> int | None:
    value = read_metadata(private_metadata).get("pair")
    return value if isinstance(value, int) else None


SELF_NOTE_SAVED: Final = "Saved your note to self. Only you can see it."
