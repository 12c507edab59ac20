"""Practice together: pairing preferences, the round's DMs, "did you meet?", and kudos."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


@dataclass(frozen=True)
class PairingSettings:
    """What the ``/lead pair`` modal starts with."""

    seeks: tuple[str, ...]
    offers: tuple[str, ...]
    note: str | None
    enabled: bool
    suggested: bool  # nothing saved yet: seeks and offers are the role's suggestion
    role: str | None
    paused: bool  # the person paused lead-bot, which pauses pairing too


@dataclass(frozen=True)
class PairingForm:
    seeks: tuple[str, ...]
    offers: tuple[str, ...]
    note: str | None
    enabled: bool


@dataclass(frozen=True)
class PairingSaved:
    form: PairingForm
    next_round: str  # the ISO week of the next round
    paused: bool


@dataclass(frozen=True)
class PairingDM:
    """A person's part of a round: who to meet, for what, and three questions to start with."""

    round: str
    role: str  # "seeker" or "offerer"
    partner: str  # the partner's Slack user id
    kind: str
    note: str | None  # the seeker's note, as they wrote it (the view escapes it)
    questions: tuple[str, ...]  # question texts from the library (mrkdwn, validated)
    followup_week: str  # the week "did you meet?" comes


@dataclass(frozen=True)
class LeftOutDM:
    """A seeker nobody could be paired with this round."""

    round: str
    kinds: tuple[str, ...]
    next_round: str


@dataclass(frozen=True)
class FollowupQuestion:
    """The week after a round: did the pair meet?"""

    pair_id: int
    round: str
    partner: str
    kind: str
    role: str


class Answer(Enum):
    YES = "yes"
    NOT_YET = "not_yet"
    SKIP = "skip"


@dataclass(frozen=True)
class AnswerRecorded:
    pair_id: int
    answer: Answer
    kind: str
    partner: str
    week: str  # the week a "yes" counts in


# kudos --------------------------------------------------------------------------------------------------
class KudosRefusal(Enum):
    """Why kudos were refused; nothing is stored for any of these."""

    NO_RECIPIENT = "no_recipient"  # the text does not start with a mention
    NO_TEXT = "no_text"
    TOO_LONG = "too_long"
    SELF = "self"
    BOT = "bot"
    GONE = "gone"  # deactivated
    UNKNOWN = "unknown"  # Slack does not know the user, or could not say


@dataclass(frozen=True)
class KudosForm:
    recipient: str  # a Slack user id
    text: str  # plain text, as the giver meant it (never markup)
    share: bool


@dataclass(frozen=True)
class KudosGiven:
    kudos_id: int
    team_id: str
    giver: str
    recipient: str
    text: str
    shared: bool
    channel: str | None  # where it would be shared


@dataclass(frozen=True)
class KudosLine:
    giver: str
    text: str
    week: str
