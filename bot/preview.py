"""``lead-bot preview``: every surface the bot sends, rendered with sample data by the bot's own builders.

A team can read each message, modal and the App Home before installing the bot. The samples are
made up (a person called Ada in week 2026-W48) and go through exactly the functions the listeners
and the scheduler call, so what is shown here is what Slack would receive. Nothing here touches
the database or Slack.

Each surface is one entry of :data:`SURFACES`: its name, its kind (``message``, ``modal`` or
``home``) and a function building it. Every scheduled job has its surface (:data:`JOB_SURFACES`;
the test suite checks none is missing).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, time
from typing import Any, Final
from urllib.parse import quote

from bot.coaching.encouragement import encouragement
from bot.coaching.foundations import FOUNDATION_LABELS, FOUNDATIONS, TRACK_LABELS
from bot.coaching.growth import compare_assessments, energy_note, energy_split
from bot.coaching.library import default_library
from bot.coaching.onboarding import STATEMENT_IDS, first_step, suggest_focus, suggest_track
from bot.coaching.review import focus_review
from bot.coaching.schedule import Slot
from bot.scheduler.registry import PERSONAL_JOBS
from bot.services.settings import JOBS
from bot.services.types.checkins import CheckinResult
from bot.services.types.goals import GoalSummary
from bot.services.types.home import ChartData, GoalLine, HomeData, ProgressPicture, ReflectionLine, StatsData, Trend
from bot.services.types.home import WinLine as HomeWin
from bot.services.types.nudges import (
    CheckinNudge,
    CheckinReminder,
    DigestData,
    DigestGoal,
    DigestWin,
    MinutesQuestion,
    PromptMessage,
    ReflectionQuestion,
    StepLogged,
)
from bot.services.types.onboarding import OnboardingOutcome
from bot.services.types.pairing import (
    Answer,
    AnswerRecorded,
    FollowupQuestion,
    KudosGiven,
    KudosLine,
    LeftOutDM,
    PairingDM,
    PairingForm,
    PairingSaved,
    PairingSettings,
)
from bot.services.types.privacy import Forgotten
from bot.services.types.review import (
    FocusChanged,
    FocusChoice,
    FocusOffer,
    FocusReviewMessage,
    GrowthInvite,
    GrowthReview,
    GrowthReviewSaved,
)
from bot.services.types.settings import PauseOutcome, PersonalSettings, Resumed, ResumeOutcome, WorkspaceConfig
from bot.services.types.team import TeamReport
from bot.services.types.wins import PostResult, SavedWin
from bot.slack.commands import HELP_LINES
from bot.views import checkin as checkin_views
from bot.views import goals as goal_views
from bot.views import home as home_views
from bot.views import kudos as kudos_views
from bot.views import messages as message_views
from bot.views import nudges as nudge_views
from bot.views import onboarding as onboarding_views
from bot.views import pairing as pairing_views
from bot.views import privacy as privacy_views
from bot.views import review as review_views
from bot.views import settings as settings_views
from bot.views import team as team_views
from bot.views import wins as win_views

BLOCK_KIT_BUILDER = "https://app.slack.com/block-kit-builder/#"

USER = "U0SAMPLE1"
TEAMMATE = "U0SAMPLE2"
CHANNEL = "C0SAMPLE1"
WEEK = "2026-W48"
TODAY = date(2026, 11, 23)
WINDOW = tuple(f"2026-W{n}" for n in range(37, 49))  # twelve weeks ending with WEEK
ANSWERS: Final = dict(zip(STATEMENT_IDS, (4, 3, 4, 5, 4, 3, 2, 3, 3, 4, 2, 3), strict=True))
EARLIER_ANSWERS: Final = dict(zip(STATEMENT_IDS, (4, 2, 3, 5, 4, 3, 1, 2, 2, 3, 2, 2), strict=True))
RATINGS: Final[dict[str, tuple[int | None, ...]]] = {
    "personality": (3, 3, 4, 3, 4, 4, None, 4, 4, 5, 4, 4),
    "upskilling": (4, 4, 4, 5, 4, 4, None, 5, 4, 4, 5, 5),
    "delegation": (2, 2, 3, 2, 3, 3, None, 3, 3, 3, 4, 3),
    "progress": (3, 3, 3, 3, 4, 3, None, 4, 4, 4, 4, 4),
}
MINUTES: Final = (30, 45, 60, 0, 90, 30, 0, 60, 75, 45, 120, 60)


@dataclass(frozen=True)
class Surface:
    name: str
    kind: str  # "message", "modal" or "home"
    describes: str
    build: Callable[[], dict[str, Any]]


def builder_link(kind: str, payload: dict[str, Any]) -> str:
    """A Block Kit Builder link showing ``payload`` (a message's blocks, or the whole view)."""
    shown = {"blocks": payload.get("blocks", [])} if kind == "message" else payload
    return BLOCK_KIT_BUILDER + quote(json.dumps(shown, separators=(",", ":")), safe="")


# sample data -------------------------------------------------------------------------------------------
def _goal(**changes: Any) -> GoalSummary:
    fields: dict[str, Any] = {"id": 7, "title": "Hand the release checklist to Sam", "foundation": "delegation",
                              "progress": 40, "measure": "releases Sam runs alone", "target": 5, "current": 2,
                              "due": date(2027, 1, 29)}
    fields.update(changes)
    return GoalSummary(**fields)


def _prompt(kind: str, foundation: str = "delegation") -> PromptMessage:
    library = default_library()
    prompt = library.of(kind, foundation)[0]
    rendered = library.render(prompt, first_name="Ada", track_label=TRACK_LABELS["hybrid"],
                              focus_label=FOUNDATION_LABELS[foundation], week=WEEK)
    return PromptMessage(kind=kind, rendered=rendered, minutes=prompt.minutes,
                         focus_label=FOUNDATION_LABELS[foundation],
                         foundation_label=FOUNDATION_LABELS[prompt.foundation], reason="focus")


def _chart() -> ChartData:
    return ChartData(weeks=WINDOW, ratings=RATINGS, minutes=MINUTES, streak=5, longest=9, today=TODAY)


def _home() -> HomeData:
    trends = tuple(Trend(foundation, RATINGS[foundation][-8:], RATINGS[foundation][0], RATINGS[foundation][-1])
                   for foundation in FOUNDATIONS)
    return HomeData(
        week=WEEK, today=TODAY, current_streak=5, longest_streak=9, checked_in=True, focus="delegation",
        track="hybrid", total_checkins=11, first_week=WINDOW[0], trend_weeks=WINDOW[-8:], trends=trends,
        minutes=MINUTES[-8:], this_week_minutes=60, practices=(("code_review", 6), ("mentoring", 3)),
        wins=(HomeWin("Sam ran the release on his own for the first time", True, WEEK),
              HomeWin("Wrote the on-call handbook", False, "2026-W46")),
        total_wins=4,
        goals=(GoalLine(7, "Hand the release checklist to Sam", "delegation", 40, date(2027, 1, 29), 5, 2),),
        reflections=(ReflectionLine("2026-W47", "I stepped back in the design review and two people spoke up."),),
        away_weeks=frozenset({WINDOW[6]}),  # the week without ratings: three days off
        kudos=(KudosLine(TEAMMATE, "Thanks for the patient review of my first migration.", "2026-W47"),),
    )


def _stats() -> StatsData:
    weeks = WINDOW[-4:-1]
    ratings = {week: {f: RATINGS[f][WINDOW.index(week)] or 3 for f in FOUNDATIONS} for week in (*weeks, WEEK)}
    return StatsData(current=5, longest=9, week=WEEK, today=TODAY, weeks=weeks, ratings=ratings,
                     minutes={week: MINUTES[WINDOW.index(week)] for week in (*weeks, WEEK)},
                     logged={"2026-W47": 45}, practices=(("code_review", 3),), wins=2, shared_wins=1,
                     this_week_wins=1, checked_in=True, total_checkins=11,
                     first={f: RATINGS[f][0] or 3 for f in FOUNDATIONS})


def _settings() -> PersonalSettings:
    return PersonalSettings(jobs=JOBS, slots={job.name: job.slot(None, None) for job in PERSONAL_JOBS},
                            slack_tz="Europe/Berlin", tz_override=None, track="hybrid", focus=None,
                            nudges_enabled=True, celebrate_publicly=True, role="tech_lead", focus_mode="auto",
                            auto_focus="delegation")


def _moved_settings() -> PersonalSettings:
    settings = _settings()
    return replace(settings, slots={**settings.slots, "checkin-nudge": Slot("tue", time(9, 30))},
                   celebrate_publicly=False)


def _config() -> WorkspaceConfig:
    return WorkspaceConfig(channel=CHANNEL, nudge=Slot("mon", time(10)), default_tz="Europe/Berlin")


def _focus_review() -> FocusReviewMessage:
    by_week: dict[str, dict[str, int]] = {}
    for i, week in enumerate(WINDOW):
        for foundation in FOUNDATIONS:
            rating = RATINGS[foundation][i]
            if rating is not None:
                by_week.setdefault(week, {})[foundation] = rating
    review = focus_review(WEEK, by_week, "upskilling")
    return FocusReviewMessage(first_name="Ada", week=WEEK, recent_from=date(2026, 11, 2),
                              before_from=date(2026, 10, 5), before_to=date(2026, 11, 1), changes=review.changes,
                              suggested=review.suggested,
                              offer=FocusOffer(user_id=USER, mode="chosen", current="upskilling",
                                               suggested=review.suggested))


def _growth_review() -> GrowthReview:
    split = energy_split(["both", "people", None, "technical", "both", "people", "both", "people", "both", "people",
                          "technical", "both"])
    return GrowthReview(answers=ANSWERS, before_taken=date(2026, 8, 24),
                        comparison=compare_assessments(EARLIER_ANSWERS, ANSWERS, "hybrid"), energy=split,
                        energy_note=energy_note(split, "hybrid"), track="hybrid")


def _digest() -> DigestData:
    return DigestData(week=WEEK, wins=(DigestWin(USER, "Sam ran the release on his own for the first time"),
                                       DigestWin(TEAMMATE, "Our first blameless post-mortem")),
                      milestones=((USER, 4),), checked_in=5, people=7,
                      goals=(DigestGoal(TEAMMATE, "Give the architecture talk at the guild"),), paused=1)


def _team_report() -> TeamReport:
    weeks = WINDOW[-4:]
    return TeamReport(channel=CHANNEL, week=WEEK, weeks=weeks, channel_size=8, known=7,
                      checked_in=dict(zip(weeks, (5, 6, 4, 5), strict=True)), rating_people=6,
                      ratings={"personality": 3.6, "upskilling": 4.1, "delegation": 2.9, "progress": 3.4},
                      wins=dict(zip(weeks, (2, 3, 1, 2), strict=True)), min_group=3,
                      trend_weeks=WINDOW, foundation_trends={f: tuple(3.0 + 0.1 * (i % 4) if i != 2 else None
                                                                      for i in range(len(WINDOW)))
                                                             for f in FOUNDATIONS},
                      participation_trend=tuple(4 + i % 3 for i in range(len(WINDOW))),
                      practices=(("code_review", 9), ("informational_interview", 4), ("mentoring", 3)),
                      pairings_met=4, practice_weeks=11, kudos=tuple(i % 3 for i in range(len(WINDOW))))


def _pairing_dm() -> PairingDM:
    library = default_library()
    questions = tuple(q.text for q in library.pairing_questions("informational_interview")[:3])
    return PairingDM(round=WEEK, role="seeker", partner=TEAMMATE, kind="informational_interview",
                     note="I'd love to hear how you decided to become a manager", questions=questions,
                     followup_week="2026-W49")


def _kudos() -> KudosGiven:
    return KudosGiven(kudos_id=3, team_id="T0SAMPLE", giver=TEAMMATE, recipient=USER,
                      text="Thanks for pairing on the flaky test: I finally get how the retries work", shared=False,
                      channel=CHANNEL)


def _picture() -> ProgressPicture:
    return ProgressPicture(user_id=USER, chart=_chart(), checkins=11)


def _saved_win() -> SavedWin:
    return SavedWin(win_id=3, team_id="T0SAMPLE1", user_id=USER, text="Sam ran the release on his own",
                    foundation="delegation", shared=True, streak=5, channel=CHANNEL)


def _minutes_modal() -> dict[str, Any]:
    step = _prompt("upskilling")
    return nudge_views.minutes_modal(MinutesQuestion(prompt_id=step.rendered.prompt_id, title=step.rendered.title,
                                                     minutes=step.minutes, week=WEEK))


def _reflection_modal() -> dict[str, Any]:
    question = _prompt("reflection").rendered
    return nudge_views.reflection_modal(ReflectionQuestion(prompt_id=question.prompt_id, title=question.title,
                                                           body=question.body, week=WEEK))


def _prompt_done() -> dict[str, Any]:
    sent = nudge_views.prompt_message(_prompt("upskilling"))
    logged = StepLogged(prompt_id=_prompt("upskilling").rendered.prompt_id, minutes=30, week=WEEK, created=True,
                        checkin_minutes=None, week_total=30, is_current=True)
    return nudge_views.answered_prompt(sent, spent={nudge_views.DID_IT}, note=nudge_views.step_logged_note(logged))


# the catalogue -----------------------------------------------------------------------------------------
def _surfaces() -> tuple[Surface, ...]:
    suggestion = suggest_track(ANSWERS)
    return (
        # modals, in the order a person meets them
        Surface("start-assessment", "modal", "/lead start, step 1: the self-assessment",
                lambda: onboarding_views.build_assessment_modal()),
        Surface("start-confirm", "modal", "/lead start, step 2: track, role, focus and a first goal",
                lambda: onboarding_views.build_confirm_modal(ANSWERS, suggestion, suggest_focus(ANSWERS),
                                                             auto_focus=suggest_focus(ANSWERS))),
        Surface("checkin-modal", "modal", "/lead checkin: the weekly check-in",
                lambda: checkin_views.build_checkin_modal(WEEK, focus="delegation")),
        Surface("goal-modal", "modal", "/lead goal: a new goal",
                lambda: goal_views.build_goal_modal(focus="delegation")),
        Surface("goal-progress-modal", "modal", "a goal's Update button",
                lambda: goal_views.build_progress_modal(_goal())),
        Surface("win-modal", "modal", "/lead win: record a win",
                lambda: win_views.build_win_modal(celebrate_publicly=True)),
        Surface("minutes-modal", "modal", "a learning step's \"I did it\" button", _minutes_modal),
        Surface("reflection-modal", "modal", "a reflection question's \"Write my answer\" button", _reflection_modal),
        Surface("review-modal", "modal", "/lead review, step 1: the self-assessment again, pre-filled",
                lambda: review_views.build_review_modal(EARLIER_ANSWERS)),
        Surface("review-result-modal", "modal", "/lead review, step 2: before and after",
                lambda: review_views.build_review_result_modal(_growth_review())),
        Surface("settings-modal", "modal", "/lead settings", lambda: settings_views.build_settings_modal(_settings())),
        Surface("config-modal", "modal", "/lead config (workspace admins)",
                lambda: settings_views.build_config_modal(_config())),
        # App Home
        Surface("home", "home", "the App Home dashboard", lambda: home_views.build_home(_home())),
        Surface("home-new", "home", "the App Home before the first check-in",
                lambda: home_views.build_home(HomeData(week=WEEK, today=TODAY, current_streak=0, longest_streak=0,
                                                       checked_in=False))),
        # scheduled messages
        Surface("checkin-nudge", "message", "job checkin-nudge: Monday's invitation to check in",
                lambda: nudge_views.checkin_nudge(CheckinNudge(first_name="Ada", week=WEEK, streak=5,
                                                               focus_label=FOUNDATION_LABELS["delegation"]))),
        Surface("upskilling-prompt", "message", "job upskilling-prompt: Wednesday's learning step",
                lambda: nudge_views.prompt_message(_prompt("upskilling"))),
        Surface("checkin-reminder", "message", "job checkin-reminder: Thursday's reminder",
                lambda: nudge_views.checkin_reminder(CheckinReminder(first_name="Ada", week=WEEK))),
        Surface("reflection-prompt", "message", "job reflection-prompt: Friday's reflection question",
                lambda: nudge_views.prompt_message(_prompt("reflection"))),
        Surface("team-digest", "message", "job team-digest: Friday's digest in the team channel",
                lambda: nudge_views.team_digest(_digest())),
        Surface("focus-review", "message", "job focus-review: four weeks against the four before",
                lambda: review_views.focus_review_message(_focus_review())),
        Surface("growth-review", "message", "job growth-review: the invitation to /lead review",
                lambda: review_views.growth_invite_message(GrowthInvite(first_name="Ada", week=WEEK,
                                                                        last_taken=date(2026, 8, 24),
                                                                        weeks_since=13))),
        Surface("progress-picture", "message", "job progress-picture: the monthly chart (the image is uploaded "
                                               "first; F0SAMPLE1 stands for it)",
                lambda: nudge_views.progress_picture_message(_picture(), "F0SAMPLE1", monthly=True)),
        Surface("pairing", "message", "job pairing: a round's DM to the seeker of a practice pair",
                lambda: pairing_views.pairing_dm(_pairing_dm())),
        Surface("pairing-offerer", "message", "job pairing: the same round's DM to the offerer",
                lambda: pairing_views.pairing_dm(replace(_pairing_dm(), role="offerer", partner=USER))),
        Surface("pairing-left-out", "message", "job pairing: to a seeker nobody could be paired with",
                lambda: pairing_views.left_out_dm(LeftOutDM(round=WEEK, kinds=("shadowing",), next_round="2026-W50"))),
        Surface("pairing-followup", "message", "job pairing-followup: did you meet?",
                lambda: pairing_views.followup_question(FollowupQuestion(pair_id=12, round=WEEK, partner=TEAMMATE,
                                                                         kind="informational_interview",
                                                                         role="seeker"))),
        Surface("pairing-met", "message", "after \"Yes, we met\"",
                lambda: pairing_views.answer_recorded(AnswerRecorded(pair_id=12, answer=Answer.YES,
                                                                     kind="informational_interview",
                                                                     partner=TEAMMATE, week="2026-W49"))),
        Surface("pair-modal", "modal", "/lead pair",
                lambda: pairing_views.pair_modal(PairingSettings(seeks=("informational_interview",), offers=(),
                                                                 note=None, enabled=True, suggested=True,
                                                                 role="engineer", paused=False))),
        Surface("kudos-modal", "modal", "/lead kudos with no text", kudos_views.kudos_modal),
        Surface("kudos-dm", "message", "kudos, in the recipient's DM", lambda: kudos_views.kudos_dm(_kudos())),
        Surface("kudos-post", "message", "kudos the giver shows the team, in the team channel",
                lambda: kudos_views.kudos_post(giver=TEAMMATE, recipient=USER, text=_kudos().text)),
        Surface("kudos-sent", "message", "after /lead kudos @someone text",
                lambda: kudos_views.kudos_sent(_kudos(), None)),
        Surface("pair-note-modal", "modal", "a practice pair's note to self, after they met",
                lambda: pairing_views.self_note_modal(12)),
        # the same messages updated after a button
        Surface("upskilling-prompt-done", "message", "the learning step after \"I did it\" (chat.update)",
                _prompt_done),
        Surface("focus-review-switched", "message", "the focus review after its switch button (chat.update)",
                lambda: review_views.focus_choice_result(
                    review_views.focus_review_message(_focus_review())["blocks"],
                    FocusChanged(action=FocusChoice.SWITCH, mode="chosen", focus=_focus_review().suggested,
                                 changed=True))),
        # celebrations in the team channel
        Surface("win-celebration", "message", "a shared win, in the team channel",
                lambda: win_views.win_celebration(user_id=USER, text="Sam ran the release on his own",
                                                  foundation="delegation", streak=5)),
        Surface("milestone", "message", "a streak milestone, in the team channel",
                lambda: win_views.milestone_post(user_id=USER, weeks=8)),
        Surface("goal-done", "message", "a finished goal, in the team channel",
                lambda: win_views.goal_done_post(user_id=USER, title="Hand the release checklist to Sam",
                                                 foundation="delegation")),
        # answers to commands and forms
        Surface("help", "message", "/lead help", lambda: message_views.help_message(HELP_LINES)),
        Surface("checkin-saved", "message", "after a check-in",
                lambda: message_views.checkin_saved_message(CheckinResult(
                    week=WEEK, streak=5, longest=9, updated=False,
                    encouragement=encouragement(streak=5, longest=9, first_ever=False,
                                                ratings={f: RATINGS[f][-1] or 3 for f in FOUNDATIONS}, week=WEEK,
                                                name_toughest=False),
                    has_win=True,
                    win_post=PostResult(True, CHANNEL, "1700000000.000100"),
                    # Ada chose upskilling; delegation was this week's lowest rating, so it is offered.
                    focus_offer=FocusOffer(user_id=USER, mode="chosen", current="upskilling",
                                           suggested="delegation")))),
        Surface("stats", "message", "/lead stats", lambda: message_views.stats_message(_stats())),
        Surface("goals", "message", "/lead goals",
                lambda: goal_views.goals_list_message([_goal(), _goal(id=8, title="Run the sprint planning twice",
                                                                      foundation="progress", progress=50,
                                                                      measure=None, target=None, current=0,
                                                                      due=None)], TODAY)),
        Surface("goal-saved", "message", "after a new goal", lambda: goal_views.goal_saved_message(_goal(), TODAY)),
        Surface("win-saved", "message", "after /lead win", lambda: win_views.win_saved_reply(_saved_win())),
        Surface("start-done", "message", "after /lead start",
                lambda: onboarding_views.onboarding_summary(OnboardingOutcome(
                    track="hybrid", role="tech_lead", focus_mode="auto", focus="delegation",
                    first_step=first_step("delegation", "hybrid"),
                    goal_title="Hand the release checklist to Sam", goal_foundation="delegation", updated=False))),
        Surface("team", "message", "/lead team", lambda: team_views.team_message(_team_report())),
        Surface("pair-saved", "message", "after /lead pair",
                lambda: pairing_views.pair_saved(PairingSaved(
                    form=PairingForm(seeks=("informational_interview",), offers=("mentoring",), note=None,
                                     enabled=True), next_round="2026-W50", paused=False))),
        Surface("review-saved", "message", "after /lead review",
                lambda: review_views.review_saved_message(GrowthReviewSaved(track="hybrid", previous_track="technical",
                                                                            assessments=2))),
        Surface("settings-saved", "message", "after /lead settings",
                lambda: settings_views.settings_saved_message(
                    settings_views.describe_changes(_settings(), _moved_settings()), _moved_settings())),
        Surface("config-saved", "message", "after /lead config",
                lambda: settings_views.config_saved_message(settings_views.describe_config_changes(
                    replace(_config(), channel=None), _config()))),
        Surface("pause", "message", "/lead pause 2",
                lambda: settings_views.pause_confirmation(PauseOutcome(start=TODAY, end=date(2026, 12, 6), today=TODAY,
                                                                       timezone="Europe/Berlin", replaced=False))),
        Surface("resume", "message", "/lead resume",
                lambda: settings_views.resume_message(ResumeOutcome(Resumed.ENDED, TODAY, TODAY))),
        Surface("forget-confirmation", "message", "/lead forget: the question before deleting",
                lambda: privacy_views.forget_confirmation(USER)),
        Surface("forget-done", "message", "/lead forget: after deleting",
                lambda: privacy_views.forget_done(Forgotten(found=True, posts_deleted=2))),
        Surface("home-forgotten", "home", "the App Home after /lead forget", privacy_views.forgotten_home),
    )


SURFACES: Final[dict[str, Surface]] = {surface.name: surface for surface in _surfaces()}

JOB_SURFACES: Final[dict[str, str]] = {
    "checkin-nudge": "checkin-nudge", "upskilling-prompt": "upskilling-prompt", "checkin-reminder": "checkin-reminder",
    "reflection-prompt": "reflection-prompt", "team-digest": "team-digest", "focus-review": "focus-review",
    "growth-review": "growth-review", "progress-picture": "progress-picture",
    "pairing": "pairing", "pairing-followup": "pairing-followup",
}
"""Scheduled job -> the surface it sends."""
