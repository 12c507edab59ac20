"""The reviews: the focus review and its one-click offer, the growth review and its invitation."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from bot.coaching.growth import EnergySplit, GrowthComparison
from bot.coaching.review import FoundationChange


# the focus ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class FocusOffer:
    """A one-click change of focus offered to one person (their user id rides on the buttons).

    ``current`` is the focus in effect, ``mode`` how it is set; ``suggested`` the foundation
    offered as the new focus, None when the message offers no switch.
    """

    user_id: str
    mode: str
    current: str | None
    suggested: str | None


@dataclass(frozen=True)
class FocusChoice:
    """A focus button as clicked: what it does, for whom it was sent, and the foundation it names."""

    SWITCH: ClassVar[str] = "switch"  # make ``foundation`` the chosen focus
    KEEP: ClassVar[str] = "keep"  # no change
    AUTO: ClassVar[str] = "auto"  # let lead-bot choose: the weakest foundation
    ACTIONS: ClassVar[tuple[str, ...]] = (SWITCH, KEEP, AUTO)

    action: str
    owner: str  # the user id the message was sent to
    foundation: str | None = None


@dataclass(frozen=True)
class FocusChanged:
    """What a focus button did: the focus in effect afterwards, and whether anything changed."""

    action: str
    mode: str
    focus: str | None
    changed: bool


@dataclass(frozen=True)
class FocusReviewMessage:
    """The focus review: each foundation's last four weeks against the four before, and a suggestion."""

    first_name: str
    week: str
    recent_from: date  # Monday of the first of the last four weeks
    before_from: date  # Monday of the first of the four weeks before
    before_to: date  # the Sunday that ends them
    changes: tuple[FoundationChange, ...]  # FOUNDATIONS order
    suggested: str | None  # the weakest foundation over the last four weeks
    offer: FocusOffer


# the growth review -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class GrowthInvite:
    """The invitation to ``/lead review``, once the latest self-assessment is 12 weeks old or more."""

    first_name: str
    week: str
    last_taken: date  # the person's local date of their latest assessment
    weeks_since: int


@dataclass(frozen=True)
class GrowthReview:
    """Before and after: what the review's second step shows before the person saves it."""

    answers: Mapping[str, int]  # the new answers (saved only when the person confirms)
    before_taken: date  # the person's local date of the previous assessment
    comparison: GrowthComparison
    energy: EnergySplit  # one entry per week since the previous assessment
    energy_note: str
    track: str | None  # the person's track now


@dataclass(frozen=True)
class GrowthReviewSaved:
    """A growth review just stored as a new assessment."""

    track: str
    previous_track: str | None
    assessments: int  # how many the person has now, this one included
