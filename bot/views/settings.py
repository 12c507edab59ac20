"""Settings: the personal ``/lead settings`` modal, ``/lead pause``/``resume`` replies, and the
workspace ``/lead config`` modal, each builder next to its parser.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, time
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

from bot import limits
from bot.coaching.foundations import FOCUS_MODE_LABELS, FOUNDATION_LABELS, ROLE_LABELS, ROLES, TRACK_LABELS, TRACKS
from bot.coaching.pauses import MAX_PAUSE_WEEKS
from bot.coaching.schedule import DAY_LABELS, DAYS, Slot
from bot.coaching.timeoff import format_away_terms, parse_away_terms, parse_calendar
from bot.mrkdwn import escape, truncate
from bot.services.types.settings import (
    CELEBRATION_MODES,
    DIGEST,
    LIVE,
    ChannelProblem,
    ConfigForm,
    JobSetting,
    PauseOutcome,
    PersonalSettings,
    Resumed,
    ResumeOutcome,
    SettingsForm,
    WorkspaceConfig,
)
from bot.views.blocks import (
    Block,
    actions,
    button,
    context,
    divider,
    input_block,
    message,
    modal,
    notice,
    option,
    section,
    text_input,
)
from bot.views.onboarding import AUTO_FOCUS, ROLE_HINT, focus_options, parse_focus
from bot.views.state import StateValues, ViewState

SETTINGS_CALLBACK = "settings"
CONFIG_CALLBACK = "config"
RESUME_ACTION = "pause_resume"
FOLLOW_SLACK = "slack"

# A short list covering most teams; anything else can be typed in the "other" field.
_COMMON_ZONES = (
    "UTC", "Europe/London", "Europe/Dublin", "Europe/Lisbon", "Europe/Paris", "Europe/Berlin", "Europe/Amsterdam",
    "Europe/Madrid", "Europe/Rome", "Europe/Zurich", "Europe/Stockholm", "Europe/Warsaw", "Europe/Prague",
    "Europe/Athens", "Europe/Helsinki", "Europe/Kyiv", "Europe/Istanbul", "Africa/Lagos", "Africa/Cairo",
    "Africa/Nairobi", "Africa/Johannesburg", "Asia/Dubai", "Asia/Karachi", "Asia/Kolkata", "Asia/Dhaka",
    "Asia/Bangkok", "Asia/Jakarta", "Asia/Singapore", "Asia/Shanghai", "Asia/Hong_Kong", "Asia/Taipei",
    "Asia/Manila", "Asia/Seoul", "Asia/Tokyo", "Australia/Perth", "Australia/Adelaide", "Australia/Brisbane",
    "Australia/Sydney", "Pacific/Auckland", "Pacific/Honolulu", "America/Anchorage", "America/Los_Angeles",
    "America/Vancouver", "America/Denver", "America/Phoenix", "America/Chicago", "America/Mexico_City",
    "America/New_York", "America/Toronto", "America/Halifax", "America/Bogota", "America/Lima", "America/Santiago",
    "America/Sao_Paulo", "America/Argentina/Buenos_Aires",
)
_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


@lru_cache(maxsize=1)
def _zone_names() -> dict[str, str]:
    """Every zone this machine lists, keyed by its lower-cased name."""
    return {name.lower(): name for name in available_timezones()}


def _loads(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ValueError, OSError, KeyError):  # ZoneInfoNotFoundError is a KeyError
        return False
    return True


def common_zones() -> tuple[str, ...]:
    return tuple(z for z in _COMMON_ZONES if z.lower() in _zone_names() or _loads(z))


def normalize_zone(text: str) -> str | None:
    """The canonical IANA name for ``text`` (case and spaces forgiven); None when it is no known zone."""
    cleaned = "_".join(text.strip().split())
    if not cleaned or len(cleaned) > limits.TIME_ZONE_NAME:
        return None
    name = _zone_names().get(cleaned.lower(), cleaned)
    return name if _loads(name) else None


def long_date(day: date, today: date | None = None) -> str:
    """``Sunday 29 November`` (the year is added when it is not this year)."""
    text = f"{day:%A} {day.day} {day:%B}"
    return text if today is None or today.year == day.year else f"{text} {day.year}"


# personal settings ----------------------------------------------------------------------------
def _day_select(current: Slot) -> dict[str, Any]:
    options = [option(DAY_LABELS[d], d) for d in DAYS]
    return {"type": "static_select", "action_id": "value", "options": options,
            "initial_option": options[DAYS.index(current.day)]}


def _time_picker(current: Slot) -> dict[str, Any]:
    return {"type": "timepicker", "action_id": "value", "initial_time": f"{current.at:%H:%M}"}


def _zone_select(current: str | None, *, follow_slack: str | None) -> dict[str, Any]:
    """A list of zones; ``follow_slack`` (the Slack zone's name) adds the "follow Slack" choice first."""
    zones = list(common_zones())
    if current and current not in zones:
        zones.insert(0, current)
    options = []
    if follow_slack is not None:
        options.append(option(truncate(f"Follow my Slack setting ({follow_slack})", 75), FOLLOW_SLACK))
    options += [option(z.replace("_", " "), z) for z in zones]
    options = options[:100]
    chosen = current or (FOLLOW_SLACK if follow_slack is not None else None)
    element: dict[str, Any] = {"type": "static_select", "action_id": "value", "options": options}
    initial = next((o for o in options if o["value"] == chosen), None)
    if initial is not None:
        element["initial_option"] = initial
    return element


def _optional_select(options: list[dict[str, Any]], current: str | None, placeholder: str) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "static_select", "action_id": "value", "options": options,
                               "placeholder": {"type": "plain_text", "text": placeholder}}
    initial = next((o for o in options if o["value"] == current), None)
    if initial is not None:
        element["initial_option"] = initial
    return element


PREF_NUDGES, PREF_CELEBRATE, PREF_PICTURE = "nudges", "celebrate", "picture"


def build_settings_modal(current: PersonalSettings) -> dict[str, Any]:
    blocks: list[Block] = [section(f"Times are in your time zone, now *{escape(current.timezone)}*. "
                                   "Change only what you want; the rest stays as it is.")]
    for job in current.jobs:
        slot = current.slots[job.name]
        blocks.append(input_block(f"day_{job.name}", f"{job.label}: day", _day_select(slot), hint=job.hint))
        blocks.append(input_block(f"time_{job.name}", f"{job.label}: time", _time_picker(slot)))
    blocks.append(divider())
    blocks.append(input_block("timezone", "Time zone",
                              _zone_select(current.tz_override, follow_slack=current.slack_tz or "UTC")))
    blocks.append(input_block("timezone_other", "Another time zone",
                              text_input("value", max_length=limits.TIME_ZONE_NAME, placeholder="e.g. America/Bogota"),
                              optional=True, hint="Not in the list? Type its IANA name here; it wins over the list."))
    blocks.append(divider())
    blocks.append(input_block("track", "Track", _optional_select(
        [option(TRACK_LABELS[t], t) for t in TRACKS], current.track, "Not chosen yet"), optional=True))
    blocks.append(input_block("role", "Role", _optional_select(
        [option(ROLE_LABELS[r], r) for r in ROLES], current.role, "Not chosen yet"), optional=True, hint=ROLE_HINT))
    focus_choices = focus_options(current.auto_focus)
    focus_element: dict[str, Any] = {"type": "static_select", "action_id": "value", "options": focus_choices}
    selected = current.focus if current.focus_mode == "chosen" else AUTO_FOCUS
    focus_element["initial_option"] = next((o for o in focus_choices if o["value"] == selected), focus_choices[0])
    blocks.append(input_block("focus", "Focus", focus_element,
                              hint="Let lead-bot choose follows your last four check-ins; or pick one foundation."))
    pref_options = [option("Send me nudges and weekly prompts", PREF_NUDGES),
                    option("Celebrate my goals and streaks in the team channel", PREF_CELEBRATE),
                    option("Send me a monthly picture of my progress", PREF_PICTURE,
                           "Needs nudges on; /lead chart draws it any time")]
    prefs: dict[str, Any] = {"type": "checkboxes", "action_id": "value", "options": pref_options}
    chosen = [o for o in pref_options if (o["value"] == PREF_NUDGES and current.nudges_enabled)
              or (o["value"] == PREF_CELEBRATE and current.celebrate_publicly)
              or (o["value"] == PREF_PICTURE and current.progress_picture)]
    if chosen:
        prefs["initial_options"] = chosen
    blocks.append(input_block("prefs", "Preferences", prefs, optional=True,
                              hint="Untick to stop them. Wins are shared only when you choose to share them."))
    blocks += _time_off_blocks(current)
    return modal(SETTINGS_CALLBACK, "Your settings", blocks, submit="Save")


AWAY_ON, AWAY_OFF = "on", "off"
AWAY_CHOICES = {AWAY_ON: "Yes: while my status says I'm away, send me nothing",
                AWAY_OFF: "No: ignore my Slack status"}
_CALENDAR_EXAMPLE = "e.g. DE, US-CA or GB-SCT"


def _time_off_blocks(current: PersonalSettings) -> list[Block]:
    """Time off: the person's own holiday calendar and whether their Slack status counts."""
    workspace = (f"the workspace's ({current.workspace_holidays})" if current.workspace_holidays
                 else "the workspace's (none set)")
    options = [option(label, value) for value, label in AWAY_CHOICES.items()]
    away: dict[str, Any] = {"type": "radio_buttons", "action_id": "value", "options": options,
                            "initial_option": options[0 if current.away_detection else 1]}
    return [
        divider(),
        input_block("holidays", "Your public holidays",
                    text_input("value", max_length=limits.HOLIDAY_CALENDAR, initial=current.holidays,
                               placeholder=_CALENDAR_EXAMPLE),
                    optional=True,
                    hint=f"A country code, optionally with a region. Empty: {workspace}. Nothing is sent to you "
                         "on those days."),
        input_block("away_status", "Use my Slack status", away,
                    hint="A status such as “Vacationing”, “Out of office”, “Sick” or :palm_tree: counts until it "
                         "expires or you clear it."),
    ]


def _parse_calendar_field(state: ViewState, block_id: str, errors: dict[str, str]) -> str | None:
    """The typed calendar as stored (``US-CA``); None when empty or wrong (then an error is recorded)."""
    typed = state.text(block_id).strip()
    if not typed:
        return None
    try:
        return str(parse_calendar(typed))
    except ValueError as exc:
        errors[block_id] = str(exc)
        return None


def _parse_slot(state: ViewState, day_block: str, time_block: str, errors: dict[str, str]) -> Slot | None:
    day = state.selected(day_block)
    at = state.time(time_block)
    if day not in DAYS:
        errors[day_block] = "Pick a day."
    match = _TIME.match(at)
    if not match:
        errors[time_block] = "Pick a time, like 09:30."
    if day not in DAYS or not match:
        return None
    return Slot(day, time(int(match.group(1)), int(match.group(2))))


def _parse_zone(state: ViewState, select_block: str, other_block: str, errors: dict[str, str], *,
                allow_follow: bool) -> str | None:
    """The chosen zone name; None for "follow Slack" (or on error, which is recorded)."""
    typed = state.text(other_block).strip()
    if typed:
        zone = normalize_zone(typed)
        if zone is None:
            errors[other_block] = (f"I don't know the time zone “{truncate(typed, limits.TIME_ZONE_NAME)}”. "
                                   "Use an IANA name such as Europe/Berlin or America/New_York.")
        return zone
    picked = state.selected(select_block)
    if allow_follow and picked == FOLLOW_SLACK:
        return None
    zone = normalize_zone(picked or "")
    if zone is None:
        errors[select_block] = "Pick a time zone from the list, or type one below."
    return zone


def parse_settings(values: StateValues, jobs: Sequence[JobSetting]) -> tuple[SettingsForm | None, dict[str, str]]:
    """The submitted settings; ``jobs`` are the ones the modal offered a slot for."""
    state = ViewState(values)
    errors: dict[str, str] = {}
    slots: dict[str, Slot] = {}
    for job in jobs:
        slot = _parse_slot(state, f"day_{job.name}", f"time_{job.name}", errors)
        if slot is not None:
            slots[job.name] = slot
    zone = _parse_zone(state, "timezone", "timezone_other", errors, allow_follow=True)
    track = state.selected("track")
    if track is not None and track not in TRACKS:
        errors["track"] = "Pick one of the three tracks."
    role = state.selected("role")
    if role is not None and role not in ROLES:
        errors["role"] = "Pick one of the three roles."
    focus_mode, focus = parse_focus(state, errors)
    prefs = set(state.selections("prefs"))
    holidays = _parse_calendar_field(state, "holidays", errors)
    away = state.selected("away_status")
    if away is not None and away not in AWAY_CHOICES:
        errors["away_status"] = "Pick one of the two choices."
    if errors:
        return None, errors
    return SettingsForm(slots=slots, tz_override=zone, track=track, focus=focus, focus_mode=focus_mode, role=role,
                        nudges_enabled=PREF_NUDGES in prefs, celebrate_publicly=PREF_CELEBRATE in prefs,
                        progress_picture=PREF_PICTURE in prefs, holidays=holidays,
                        away_detection=None if away is None else away == AWAY_ON), {}


def _on_off(value: bool) -> str:
    return "on" if value else "off"


def _focus_text(settings: PersonalSettings) -> str:
    if settings.focus_mode == "chosen" and settings.focus:
        return FOUNDATION_LABELS[settings.focus]
    now = f" ({FOUNDATION_LABELS[settings.auto_focus]} right now)" if settings.auto_focus else ""
    return FOCUS_MODE_LABELS["auto"] + now


def _zone_text(settings: PersonalSettings) -> str:
    return settings.tz_override or f"your Slack zone ({settings.slack_tz or 'UTC'})"


def describe_changes(before: PersonalSettings, after: PersonalSettings) -> list[str]:
    """One line per setting that changed, old → new."""
    lines = [f"{job.label}: {before.slots[job.name].label()} → {after.slots[job.name].label()}"
             for job in before.jobs if before.slots[job.name] != after.slots[job.name]]
    if before.tz_override != after.tz_override:
        lines.append(f"Time zone: {_zone_text(before)} → {_zone_text(after)}")
    if before.track != after.track:
        lines.append(f"Track: {TRACK_LABELS.get(before.track or '', 'not chosen')} → "
                     f"{TRACK_LABELS.get(after.track or '', 'not chosen')}")
    if before.role != after.role:
        lines.append(f"Role: {ROLE_LABELS.get(before.role or '', 'not chosen')} → "
                     f"{ROLE_LABELS.get(after.role or '', 'not chosen')}")
    if (before.focus_mode, before.focus) != (after.focus_mode, after.focus):
        lines.append(f"Focus: {_focus_text(before)} → {_focus_text(after)}")
    if before.nudges_enabled != after.nudges_enabled:
        lines.append(f"Nudges: {_on_off(before.nudges_enabled)} → {_on_off(after.nudges_enabled)}")
    if before.celebrate_publicly != after.celebrate_publicly:
        lines.append(f"Public celebrations: {_on_off(before.celebrate_publicly)} → "
                     f"{_on_off(after.celebrate_publicly)}")
    if before.progress_picture != after.progress_picture:
        lines.append(f"Monthly progress picture: {_on_off(before.progress_picture)} → "
                     f"{_on_off(after.progress_picture)}")
    if before.holidays != after.holidays:
        lines.append(f"Public holidays: {before.holidays or 'the workspace’s'} → {after.holidays or 'the workspace’s'}")
    if before.away_detection != after.away_detection:
        lines.append(f"Away while my Slack status says so: {_on_off(before.away_detection)} → "
                     f"{_on_off(after.away_detection)}")
    return lines


def settings_saved_message(changes: list[str], after: PersonalSettings) -> dict[str, Any]:
    if not changes:
        text = "Settings saved. Nothing changed."
        return message(text, [section(f":gear: {text}")])
    listing = "\n".join(f"• {escape(line)}" for line in changes)
    blocks: list[Block] = [section(f":gear: *Settings saved.* What changed:\n{listing}")]
    notes = [f"Times are in {escape(after.timezone)}."]
    if not after.nudges_enabled:
        notes.append("Nudges are off: check in whenever you like with `/lead checkin`.")
    blocks.append(context(" ".join(notes)))
    return message("Settings saved: " + "; ".join(changes), blocks)


# pause and resume ------------------------------------------------------------------------------
def pause_usage(args: str) -> dict[str, Any]:
    text = (f"I couldn't read “{escape(truncate(args, 40))}” as a number of weeks. Type `/lead pause` for one week, "
            f"or `/lead pause 3` for three; anything from 1 to {MAX_PAUSE_WEEKS} works.")
    return notice(text)


def pause_confirmation(outcome: PauseOutcome) -> dict[str, Any]:
    start, end, today, timezone, replaced = (outcome.start, outcome.end, outcome.today, outcome.timezone,
                                             outcome.replaced)
    until = long_date(end, today)
    if replaced and start <= today:
        head = f":double_vertical_bar: Your pause now runs until the end of *{until}*."
    elif start > today:
        head = (f":double_vertical_bar: This week's check-in is already in, so your pause starts on "
                f"*{long_date(start, today)}* and runs until the end of *{until}*.")
    else:
        head = f":double_vertical_bar: Paused until the end of *{until}*."
    body = ("No nudges or prompts until then, and the paused weeks won't break your streak. A check-in during the "
            "pause ends it and counts as usual.")
    blocks: list[Block] = [section(f"{head}\n{body}"), context(f"Dates are in your time zone, {escape(timezone)}."),
                           actions(button("Resume now", RESUME_ACTION, "resume"))]
    return message(f"Paused until the end of {until} ({timezone}). /lead resume ends it early.", blocks)


def resume_message(outcome: ResumeOutcome) -> dict[str, Any]:
    if outcome.kind is Resumed.NOT_PAUSED:
        text = "You weren't paused, so there is nothing to resume. `/lead pause` starts a pause."
    elif outcome.kind is Resumed.CANCELLED and outcome.start is not None:
        text = (f"Your pause planned from {long_date(outcome.start, outcome.today)} is cancelled. "
                "Nudges carry on as usual.")
    else:
        text = (":wave: Welcome back! Your pause is over and nudges pick up again tomorrow. This week won't count "
                "against your streak, and a check-in this week still counts.")
    return notice(text)


# workspace configuration -----------------------------------------------------------------------
def build_config_modal(current: WorkspaceConfig) -> dict[str, Any]:
    channel: dict[str, Any] = {"type": "conversations_select", "action_id": "value",
                               "placeholder": {"type": "plain_text", "text": "Pick the team channel"},
                               "filter": {"include": ["public", "private"], "exclude_bot_users": True,
                                          "exclude_external_shared_channels": True}}
    if current.channel:
        channel["initial_conversation"] = current.channel
    blocks: list[Block] = [
        section("Settings for the whole workspace. People can still move their own nudges in `/lead settings`."),
        input_block("channel", "Team channel", channel,
                    hint="Shared wins, milestones and the weekly digest go here. Invite me to it first."),
        divider(),
        input_block("nudge_day", "Default check-in nudge: day", _day_select(current.nudge)),
        input_block("nudge_time", "Default check-in nudge: time", _time_picker(current.nudge),
                    hint="In each person's own time zone."),
        divider(),
        input_block("default_tz", "Workspace time zone", _zone_select(current.default_tz, follow_slack=None),
                    hint="Used for the team digest and for what “this week” means in /lead team."),
        input_block("default_tz_other", "Another time zone",
                    text_input("value", max_length=limits.TIME_ZONE_NAME, placeholder="e.g. America/Bogota"),
                    optional=True,
                    hint="Not in the list? Type its IANA name here; it wins over the list."),
        divider(),
        input_block("celebrations", "Streak milestones and finished goals", _celebrations_choice(current.celebrations),
                    hint="Shared wins are posted when people share them, either way."),
        divider(),
        input_block("holidays", "Public holidays",
                    text_input("value", max_length=limits.HOLIDAY_CALENDAR, initial=current.holidays,
                               placeholder=_CALENDAR_EXAMPLE),
                    optional=True,
                    hint="A country code, optionally with a region. Nobody gets nudges on those days, and a digest "
                         "due on one goes out the working day before. People can set their own in /lead settings."),
        input_block("away_terms", "More ways to say “away”",
                    text_input("value", max_length=limits.AWAY_TERMS, initial=current.away_terms or None,
                               placeholder="e.g. Elternzeit, congé, :snow_capped_mountain:"),
                    optional=True,
                    hint="Comma-separated words or :emoji: that make a Slack status mean away, besides the built-in "
                         "ones (vacation, out of office, sick, :palm_tree:, …)."),
    ]
    return modal(CONFIG_CALLBACK, "Workspace settings", blocks, submit="Save")


CELEBRATION_LABELS = {
    DIGEST: "Gather them into the Friday team digest (quieter)",
    LIVE: "Post each one as it happens, and list it in the digest",
}


def _celebrations_choice(current: str) -> dict[str, Any]:
    options = [option(CELEBRATION_LABELS[mode], mode) for mode in CELEBRATION_MODES]
    element: dict[str, Any] = {"type": "radio_buttons", "action_id": "value", "options": options}
    initial = next((o for o in options if o["value"] == current), options[0])
    element["initial_option"] = initial
    return element


def parse_config(values: StateValues) -> tuple[ConfigForm | None, dict[str, str]]:
    state = ViewState(values)
    errors: dict[str, str] = {}
    channel = state.conversation("channel")
    if channel is None or not re.match(r"^[CG][A-Z0-9]{2,30}$", channel):
        errors["channel"] = "Pick a channel (not a direct message)."
    nudge = _parse_slot(state, "nudge_day", "nudge_time", errors)
    zone = _parse_zone(state, "default_tz", "default_tz_other", errors, allow_follow=False)
    celebrations = state.selected("celebrations") or DIGEST
    if celebrations not in CELEBRATION_MODES:
        errors["celebrations"] = "Pick one of the two choices."
    holidays = _parse_calendar_field(state, "holidays", errors)
    away_terms = ""
    try:
        away_terms = format_away_terms(*parse_away_terms(state.text("away_terms")))
    except ValueError as exc:
        errors["away_terms"] = str(exc)
    if errors or nudge is None or zone is None or channel is None:
        return None, errors
    return ConfigForm(channel=channel, nudge=nudge, default_tz=zone, celebrations=celebrations, holidays=holidays,
                      away_terms=away_terms), {}


def describe_config_changes(before: WorkspaceConfig, after: WorkspaceConfig) -> list[str]:
    lines = []
    if before.channel != after.channel:
        lines.append(f"Team channel: {f'<#{before.channel}>' if before.channel else 'none'} → <#{after.channel}>")
    if before.nudge != after.nudge:
        lines.append(f"Default check-in nudge: {before.nudge.label()} → {after.nudge.label()}")
    if before.default_tz != after.default_tz:
        lines.append(f"Workspace time zone: {before.default_tz} → {after.default_tz}")
    if before.celebrations != after.celebrations:
        old, new = (CELEBRATION_LABELS.get(c, c) for c in (before.celebrations, after.celebrations))
        lines.append(f"Milestones and finished goals: {old} → {new}")
    if before.holidays != after.holidays:
        lines.append(f"Public holidays: {before.holidays or 'none'} → {after.holidays or 'none'}")
    if before.away_terms != after.away_terms:
        old, new = (escape(terms) or "none" for terms in (before.away_terms, after.away_terms))
        lines.append(f"More ways to say away: {old} → {new}")
    return lines


def config_saved_message(changes: list[str]) -> dict[str, Any]:
    if not changes:
        text = "Workspace settings saved. Nothing changed."
        return message(text, [section(f":gear: {text}")])
    listing = "\n".join(f"• {line}" for line in changes)
    return message("Workspace settings saved: " + "; ".join(changes),
                   [section(f":gear: *Workspace settings saved.* What changed:\n{listing}")])


CONFIG_REFUSAL = ("Sorry, `/lead config` is for workspace admins and owners, and for anyone the bot's operator lists "
                  "in LEAD_ADMINS. Ask one of them if the team channel or default nudge time should change.")
NOT_ALLOWED = "Only workspace admins and owners (or people listed in LEAD_ADMINS) can change these settings."
CHANNEL_PROBLEMS = {
    ChannelProblem.NOT_A_MEMBER: ("I'm not a member of that channel yet. Open it in Slack and type /invite @lead-bot, "
                                  "then press Save again."),
    ChannelProblem.CANNOT_SEE: ("I can't see that channel. If it is private, open it and type /invite @lead-bot "
                                "first, then press Save again."),
    ChannelProblem.CHECK_FAILED: ("Slack didn't tell me whether I'm in that channel. "
                                  "Please press Save again in a moment."),
    ChannelProblem.DIRECT_MESSAGE: "Pick a channel, not a direct message.",
    ChannelProblem.ARCHIVED: "That channel is archived. Pick one people still use.",
}
