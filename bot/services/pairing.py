"""Practice together: ``/lead pair`` preferences, the fortnightly rounds and "did you meet?".

A round (the ``pairing`` job, even ISO weeks) is worked out once per workspace by whichever
process first claims it in the delivery ledger (item :data:`ROUND_ITEM`, recipient the team):
it reads who opted in, the last rounds and who waited, runs :func:`bot.coaching.pairing.pair_round`,
and stores the pairs and the left-out in one transaction. Everyone else, and every re-run,
reads what is stored, so a re-run sends nothing new: each person's DM is its own ledger item.

DMs, not a group DM: each person of a pair gets their own message naming the other. A group DM
would need the ``mpim:write`` scope, which the bot does not ask for; two DMs also let each person
see the questions from their own side (the seeker's note is the offerer's to read).

Pausing lead-bot pauses pairing: a person paused on the round's day, or away then (a Slack status
or a public holiday, as for every scheduled message), is not a candidate, and is not asked "did
you meet?" while paused. A DM due to someone away today waits until they are back that week.
"""

from __future__ import annotations

from typing import Final

from sqlalchemy.orm import Session

from bot.coaching.library import default_library
from bot.coaching.pairing import (
    NO_REPEAT_ROUNDS,
    PAIRING_KINDS,
    Candidate,
    PastPair,
    conversation_starters,
    is_pairing_week,
    next_round,
    pair_round,
    round_tuesday,
)
from bot.coaching.weeks import shift_week
from bot.errors import NotYours, Owned
from bot.services import timeoff as timeoff_service
from bot.services.context import BotContext
from bot.services.people import current_week, today
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
from bot.services.types.people import PersonRecord
from bot.store import ledger
from bot.store import pairing as pairing_store
from bot.store import people as people_store
from bot.store import schedule as schedule_store
from bot.store.records import PracticePairRecord

ROUND_ITEM: Final = "pairing-round"  # the ledger item that lets one process work out a round
HISTORY_WEEKS: Final = 2 * (NO_REPEAT_ROUNDS + 6)  # the no-repeat window and some freshness beyond

# What each role is a natural partner for (COACHING.md: managers are the ones to interview; an
# engineer growing toward a hybrid role is the one asking).
ROLE_DEFAULTS: Final[dict[str, tuple[tuple[str, ...], tuple[str, ...]]]] = {
    "manager": ((), ("informational_interview",)),
    "tech_lead": (("informational_interview",), ()),
    "engineer": (("informational_interview",), ()),
}


# preferences --------------------------------------------------------------------------------------------
def pairing_settings(ctx: BotContext, person: PersonRecord) -> PairingSettings:
    """What the modal starts with: the saved choice, else the role's suggestion (reads only)."""
    with ctx.store.read() as session:
        prefs = pairing_store.find_prefs(session, person.id)
        pause = people_store.active_pause(session, person.id, today(ctx, person))
    paused = pause is not None and pause.start <= today(ctx, person) and not pause.resumed
    if prefs is None:
        seeks, offers = ROLE_DEFAULTS.get(person.role or "", ((), ()))
        return PairingSettings(seeks=seeks, offers=offers, note=None, enabled=True, suggested=True, role=person.role,
                               paused=paused)
    return PairingSettings(seeks=prefs.seeks, offers=prefs.offers, note=prefs.note, enabled=prefs.enabled,
                           suggested=False, role=person.role, paused=paused)


def save_pairing(ctx: BotContext, person: PersonRecord, form: PairingForm) -> PairingSaved:
    week = current_week(ctx, person)
    with ctx.store.session() as session:
        pairing_store.save_prefs(session, person.id, seeks=form.seeks, offers=form.offers, note=form.note,
                                 enabled=form.enabled, now=ctx.clock.now())
        ran = schedule_store.finished_keys(session, ROUND_ITEM, {week})
    this_week_open = is_pairing_week(week) and (person.team_id, person.team_id, week) not in ran
    upcoming = week if this_week_open else next_round(week)
    return PairingSaved(form=form, next_round=upcoming, paused=pairing_settings(ctx, person).paused)


# the round ----------------------------------------------------------------------------------------------
def round_members(ctx: BotContext, team_id: str, week: str) -> list[tuple[int, str]]:
    """(person id, user id) of everyone the round of ``week`` DMs: both people of each pair, the left-out.

    Works the round out first when nobody has; returns [] while another process is doing so
    (the next sweep sends).
    """
    with ctx.store.session() as session:
        stored = pairing_store.round_stored(session, team_id, week)
    if not stored and not _work_out_round(ctx, team_id, week):
        return []
    with ctx.store.session() as session:
        pairs = pairing_store.pairs_of_round(session, team_id, week)
        left_out = pairing_store.left_out_of_round(session, team_id, week)
    members: dict[int, str] = {}
    for pair in pairs:
        members[pair.seeker_id], members[pair.offerer_id] = pair.seeker_user, pair.offerer_user
    for person in left_out:
        members[person.person_id] = person.user_id
    return sorted(members.items())


def _work_out_round(ctx: BotContext, team_id: str, week: str) -> bool:
    """Claim the round, pair, store; False when another process holds the claim."""
    token, now = ledger.new_token(), ctx.clock.now()
    with ctx.store.session() as session:
        claim = ledger.claim(session, team_id=team_id, recipient=team_id, item=ROUND_ITEM, week=week, token=token,
                             now=now, stale_after=ctx.settings.claim_timeout)
    if claim.claim is ledger.Claim.HELD:
        with ctx.store.session() as session:  # finished by another process a moment ago, or in progress
            return pairing_store.round_stored(session, team_id, week)
    try:
        with ctx.store.session() as session:
            if not pairing_store.round_stored(session, team_id, week):  # a taken-over claim may have stored it
                _pair_and_store(session, ctx, team_id, week)
            ledger.finish(session, team_id=team_id, recipient=team_id, item=ROUND_ITEM, week=week, token=token,
                          status="sent", now=now)
    except Exception:
        with ctx.store.session() as session:
            ledger.release(session, team_id=team_id, recipient=team_id, item=ROUND_ITEM, week=week, token=token)
        raise
    return True


def _pair_and_store(session: Session, ctx: BotContext, team_id: str, week: str) -> None:
    people = {p.id: p for p in schedule_store.eligible_people(session) if p.team_id == team_id}
    pauses = schedule_store.pauses_of(session, list(people))
    now, tuesday = ctx.clock.now(), round_tuesday(week)

    away = timeoff_service.away_today_of(session, people.values(), now, tuesday)

    def paused(person: PersonRecord) -> bool:
        """Paused on the round's day, or away (status or holiday): pairing them would keep a partner waiting."""
        return (any(start <= tuesday <= end for start, end in pauses.get(person.id, []))
                or away[person.id] is not None)

    prefs = pairing_store.team_prefs(session, [pid for pid, p in people.items() if not paused(p)])
    by_user = {people[pid].user_id: pid for pid in prefs}
    candidates = [Candidate(key=people[pid].user_id, seeks=p.seeks, offers=p.offers, tz=people[pid].timezone)
                  for pid, p in prefs.items() if p.seeks or p.offers]
    history = pairing_store.pairs_since(session, team_id, shift_week(week, -HISTORY_WEEKS), week)
    previous = pairing_store.previous_round(session, team_id, week)
    waiting = ({lo.user_id: lo.waited for lo in pairing_store.left_out_of_round(session, team_id, previous)}
               if previous else {})
    outcome = pair_round(week, candidates, [PastPair(p.round, p.seeker_user, p.offerer_user, p.kind)
                                            for p in history], waiting)
    library = default_library()
    new_pairs = []
    for pair in outcome.pairs:
        asked = {qid for past in history if {past.seeker_user, past.offerer_user} == {pair.seeker, pair.offerer}
                 for qid in past.questions}
        questions = conversation_starters([q.id for q in library.pairing_questions(pair.kind)], round_week=week,
                                          seeker=pair.seeker, offerer=pair.offerer, asked_before=asked)
        seeker_id = by_user[pair.seeker]
        new_pairs.append(pairing_store.NewPair(seeker_id=seeker_id, offerer_id=by_user[pair.offerer], kind=pair.kind,
                                               note=prefs[seeker_id].note, questions=questions))
    left_out = [(by_user[lo.person], lo.kinds, lo.waited) for lo in outcome.unmatched]
    pairing_store.save_round(session, team_id, week, new_pairs, left_out, now)


def pairing_message(ctx: BotContext, team_id: str, week: str, person_id: int) -> PairingDM | LeftOutDM | None:
    """The person's DM for the round of ``week``; None when they are in none of it (nothing to send)."""
    with ctx.store.session() as session:
        pairs = pairing_store.pairs_of_round(session, team_id, week)
        left_out = pairing_store.left_out_of_round(session, team_id, week)
    texts = {q.id: q.text for kind in PAIRING_KINDS for q in default_library().pairing_questions(kind)}
    for pair in pairs:
        side = pair.side(person_id)
        if side is None:
            continue
        partner = pair.offerer_user if side == "seeker" else pair.seeker_user
        return PairingDM(round=week, role=side, partner=partner, kind=pair.kind, note=pair.note,
                         questions=tuple(texts[q] for q in pair.questions if q in texts),
                         followup_week=shift_week(week, 1))
    for person in left_out:
        if person.person_id == person_id:
            return LeftOutDM(round=week, kinds=person.kinds, next_round=next_round(week))
    return None


# did you meet? ------------------------------------------------------------------------------------------
def followup_members(ctx: BotContext, team_id: str, week: str) -> list[tuple[int, str]]:
    """Both people of each pair of the round before ``week`` who have not answered, and are not paused."""
    with ctx.store.session() as session:
        pairs = pairing_store.pairs_of_round(session, team_id, shift_week(week, -1))
        people = {p.id: p for p in schedule_store.eligible_people(session) if p.team_id == team_id}
        pauses = schedule_store.pauses_of(session, list(people))
    tuesday = round_tuesday(week)  # the follow-up's own day, like the round's
    members: dict[int, str] = {}
    for pair in pairs:
        for person_id, user_id in ((pair.seeker_id, pair.seeker_user), (pair.offerer_id, pair.offerer_user)):
            person = people.get(person_id)
            if person is None or pair.answer_of(person_id) is not None:
                continue
            if not any(start <= tuesday <= end for start, end in pauses.get(person_id, [])):
                members[person_id] = user_id
    return sorted(members.items())


def followup_message(ctx: BotContext, team_id: str, week: str, person_id: int) -> FollowupQuestion | None:
    with ctx.store.session() as session:
        pairs = pairing_store.pairs_of_round(session, team_id, shift_week(week, -1))
    for pair in pairs:
        side = pair.side(person_id)
        if side is not None and pair.answer_of(person_id) is None:
            return FollowupQuestion(pair_id=pair.id, round=pair.round, kind=pair.kind, role=side,
                                    partner=pair.offerer_user if side == "seeker" else pair.seeker_user)
    return None


def _own_pair(ctx: BotContext, team_id: str, user_id: str, pair_id: int | None
              ) -> tuple[PersonRecord, PracticePairRecord]:
    """The clicker and their pair; NotYours when the pair is not theirs (the id is a replayable value)."""
    with ctx.store.session() as session:
        person = people_store.find_person(session, team_id, user_id)
        pair = pairing_store.find_pair(session, pair_id) if pair_id is not None else None
    if person is None or pair is None or pair.team_id != team_id or pair.side(person.id) is None:
        raise NotYours(Owned.PAIR)
    return person, pair


def record_answer(ctx: BotContext, team_id: str, user_id: str, pair_id: int | None, answer: Answer
                  ) -> AnswerRecorded:
    """Store the clicker's answer; a "yes" counts as the pair's practice in the clicker's current week."""
    person, pair = _own_pair(ctx, team_id, user_id, pair_id)
    week = current_week(ctx, person)
    with ctx.store.session() as session:
        pairing_store.record_answer(session, pair.id, person.id, answer.value, week)
    partner = pair.offerer_user if pair.side(person.id) == "seeker" else pair.seeker_user
    return AnswerRecorded(pair_id=pair.id, answer=answer, kind=pair.kind, partner=partner, week=week)


def save_self_note(ctx: BotContext, team_id: str, user_id: str, pair_id: int | None, note: str | None) -> None:
    """The one-line private note after a meeting (only its author ever sees it, and the export)."""
    person, pair = _own_pair(ctx, team_id, user_id, pair_id)
    with ctx.store.session() as session:
        pairing_store.save_self_note(session, pair.id, person.id, note)


def export_pairing(ctx: BotContext, person: PersonRecord) -> dict[str, object]:
    """The export's ``pairing`` key: preferences, and every pair with the person's side and answer."""
    with ctx.store.session() as session:
        prefs = pairing_store.find_prefs(session, person.id)
        pairs = pairing_store.pairs_of_person(session, person.id)
        left_out = pairing_store.rounds_left_out(session, person.id)
    rows = []
    for pair in pairs:
        seeker = pair.seeker_id == person.id
        answer = pair.seeker_answer if seeker else pair.offerer_answer
        rows.append({"round": pair.round, "with": pair.offerer_user if seeker else pair.seeker_user,
                     "kind": pair.kind, "as": "seeker" if seeker else "offerer",
                     "met": {"yes": True, "not_yet": False}.get(answer or ""), "answer": answer,
                     "note": pair.note if seeker else None,
                     "note_to_self": pair.seeker_self_note if seeker else pair.offerer_self_note})
    return {"seeks": list(prefs.seeks) if prefs else [], "offers": list(prefs.offers) if prefs else [],
            "note": prefs.note if prefs else None, "enabled": prefs.enabled if prefs else False,
            "pairs": rows, "left_out": left_out}
