"""The check-in modal submission: validate next to the field, store, then tell the person."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.coaching.encouragement import encouragement
from bot.services import checkins as checkin_service
from bot.services.celebrations import celebrate_milestone, share_win
from bot.services.context import BotContext
from bot.services.people import ensure_person
from bot.slack.identity import team_and_user
from bot.slack.modals.common import accepted, send_dm
from bot.slack.surfaces import publish_home
from bot.views import checkin as checkin_view
from bot.views.messages import checkin_saved_message

ERROR_FIELDS = {checkin_view.CALLBACK_ID: "rating_personality"}


def register(app: App, ctx: BotContext) -> None:
    @app.view(checkin_view.CALLBACK_ID)
    def checkin_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient,
                          context: BoltContext) -> None:
        form = accepted(ack, checkin_view.parse_checkin(view["state"]["values"]))
        if form is None:
            return
        team_id, user_id = team_and_user(context, body)
        person = ensure_person(ctx, client, team_id, user_id)
        outcome = checkin_service.submit_checkin(ctx, person, form)
        ack()
        win_note = None
        if outcome.win_id is not None and form.win:
            if form.share_win:
                result = share_win(ctx, client, team_id, user_id, outcome.win_id, form.win,
                                   streak=outcome.streak.current)
                win_note = ":tada: Your win is on the team channel." if result.posted else (
                    f"Your win is saved. {result.problem}")
            else:
                win_note = "Your win is saved privately."
        if outcome.milestone:
            milestone = celebrate_milestone(ctx, client, team_id, user_id, outcome.milestone, outcome.week)
            if milestone is not None and milestone.posted:
                note = f":fire: Your {outcome.milestone}-week streak is being celebrated on the team channel."
                win_note = f"{win_note} {note}" if win_note else note
        if outcome.pause_ended:
            note = "Welcome back: checking in ended your pause."
            win_note = f"{win_note} {note}" if win_note else note
        line = encouragement(streak=outcome.streak.current, longest=outcome.streak.longest,
                             first_ever=outcome.first_ever, ratings=form.ratings, week=outcome.week)
        send_dm(client, user_id, checkin_saved_message(
            week=outcome.week, streak=outcome.streak.current, longest=outcome.streak.longest,
            updated=not outcome.created, encouragement=line, win_note=win_note), "check-in confirmation")
        publish_home(ctx, client, team_id, user_id)
