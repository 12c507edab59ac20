"""Field limits, defined once: the parsers check them, the modals announce them, the columns fit them."""

from __future__ import annotations

from typing import Final

WIN_TEXT: Final = 1000  # characters of a win
GOAL_TITLE: Final = 200
GOAL_MEASURE: Final = 500
GOAL_TARGET: Final = 100_000  # the largest count a goal may aim for
REFLECTION: Final = 3000  # a check-in's private reflection, or an answer to a reflection prompt
CHECKIN_MINUTES: Final = 100 * 60  # learning minutes a check-in may report for one week
LOGGED_MINUTES: Final = 600  # minutes one "I did it" may log
TIME_ZONE_NAME: Final = 64  # an IANA zone name, typed or stored
PROMPT_ID: Final = 64  # a library prompt's id, as buttons and modals carry it
HOLIDAY_CALENDAR: Final = 40  # a holiday calendar code such as "US-CA" (bot/coaching/timeoff.py)
STATUS_TEXT: Final = 255  # a Slack status text as stored (Slack allows 100 characters)
STATUS_EMOJI: Final = 100  # a Slack status emoji as stored, e.g. ":palm_tree:"
AWAY_TERMS: Final = 2000  # the admin's away list in /lead config, as typed
KUDOS_TEXT: Final = 1000  # characters of a thank-you
PAIRING_NOTE: Final = 300  # the note a seeker's partner reads
SELF_NOTE: Final = 300  # the one-line note to self after a practice meeting
