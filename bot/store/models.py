"""The bot's data, as SQLAlchemy 2.0 typed models.

Times are stored as aware UTC datetimes; ISO weeks as ``YYYY-Www`` strings (they sort in time
order). Everything a person wrote or rated hangs off :class:`Person` and is deleted with them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from bot import limits


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp that always comes back aware and in UTC, on SQLite as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; pass an aware UTC datetime")
        value = value.astimezone(UTC)
        # SQLite keeps no zone: store the naive UTC value and re-attach UTC on the way out.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime, dict[str, Any]: JSON, list[str]: JSON}


class Workspace(Base):
    """One Slack workspace (team) the bot is installed in."""

    __tablename__ = "workspaces"

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str | None] = mapped_column(String(255))
    team_channel: Mapped[str | None] = mapped_column(String(32))
    default_tz: Mapped[str] = mapped_column(String(limits.TIME_ZONE_NAME), default="UTC")
    # Workspace-wide slot overrides, job name -> "mon 10:00"; the built-in defaults fill the rest.
    slots: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # Streak milestones and finished goals: "digest" gathers them into the Friday team digest,
    # "live" also posts each as it happens.
    celebrations: Mapped[str] = mapped_column(String(16), default="digest")
    # Time off (bot/coaching/timeoff.py): the public-holiday calendar ("DE", "US-CA"; None: none),
    # and the admin's away terms and :emoji: added to the built-in ones, as typed in /lead config.
    holidays: Mapped[str | None] = mapped_column(String(limits.HOLIDAY_CALENDAR))
    away_terms: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    # The Enterprise Grid org it belongs to (None outside Grid), and whether the app was installed
    # for the whole org: together with team_id, how Bolt's installation store keys its bot token.
    enterprise_id: Mapped[str | None] = mapped_column(String(32))
    enterprise_install: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # When Slack said the app was uninstalled (or its bot token revoked): nothing is sent from then
    # on, and the workspace's data is deleted after the grace period (bot/services/workspaces.py).
    uninstalled_at: Mapped[datetime | None]


class Person(Base):
    """A Slack user who uses the bot, with their coaching settings."""

    __tablename__ = "people"
    __table_args__ = (UniqueConstraint("team_id", "user_id", name="uq_people_team_user"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32), ForeignKey("workspaces.team_id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(String(32), index=True)
    display_name: Mapped[str | None] = mapped_column(String(255))
    slack_tz: Mapped[str | None] = mapped_column(String(limits.TIME_ZONE_NAME))
    tz_fetched_at: Mapped[datetime | None]
    tz_override: Mapped[str | None] = mapped_column(String(limits.TIME_ZONE_NAME))
    track: Mapped[str | None] = mapped_column(String(16))
    role: Mapped[str | None] = mapped_column(String(16))  # engineer, tech_lead, manager; None until asked
    # "auto" follows the weakest foundation; "chosen" keeps ``focus`` (bot/coaching/focus.py).
    focus_mode: Mapped[str] = mapped_column(String(8), default="auto", server_default="auto")
    focus: Mapped[str | None] = mapped_column(String(16))  # the chosen foundation; None in auto
    nudges_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    celebrate_publicly: Mapped[bool] = mapped_column(Boolean, default=True)
    progress_picture: Mapped[bool] = mapped_column(Boolean, default=True)  # the monthly progress picture
    # The Slack status as the last user_change event said (never fetched in a sweep), and
    # ``status_updated`` (Slack's ``updated``) so an older event arriving late changes nothing.
    status_text: Mapped[str | None] = mapped_column(String(limits.STATUS_TEXT))
    status_emoji: Mapped[str | None] = mapped_column(String(limits.STATUS_EMOJI))
    status_expiration: Mapped[int | None] = mapped_column(BigInteger)  # epoch seconds; 0 or None: never
    status_updated: Mapped[int | None] = mapped_column(BigInteger)
    away_detection: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    holidays: Mapped[str | None] = mapped_column(String(limits.HOLIDAY_CALENDAR))  # None: the workspace's
    # False once Slack reports the account gone; the scheduler skips inactive people.
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    inactive_reason: Mapped[str | None] = mapped_column(String(64))
    # Personal slot overrides, job name -> "wed 09:30".
    slots: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # The ISO weeks of the last focus review and growth-review invitation built for the person.
    focus_review_week: Mapped[str | None] = mapped_column(String(8))
    growth_invite_week: Mapped[str | None] = mapped_column(String(8))
    onboarded_at: Mapped[datetime | None]
    created_at: Mapped[datetime]

    checkins: Mapped[list[Checkin]] = relationship(
        back_populates="person", cascade="all, delete-orphan", passive_deletes=True, order_by="Checkin.week"
    )
    pauses: Mapped[list[Pause]] = relationship(cascade="all, delete-orphan", passive_deletes=True,
                                               order_by="Pause.start")
    goals: Mapped[list[Goal]] = relationship(cascade="all, delete-orphan", passive_deletes=True, order_by="Goal.id")
    wins: Mapped[list[Win]] = relationship(cascade="all, delete-orphan", passive_deletes=True, order_by="Win.id")
    reflections: Mapped[list[Reflection]] = relationship(cascade="all, delete-orphan", passive_deletes=True,
                                                         order_by="Reflection.id")
    learning_logs: Mapped[list[LearningLog]] = relationship(cascade="all, delete-orphan", passive_deletes=True,
                                                            order_by="LearningLog.id")
    prompt_feedback: Mapped[list[PromptFeedback]] = relationship(cascade="all, delete-orphan", passive_deletes=True,
                                                                 order_by="PromptFeedback.id")
    assessments: Mapped[list[Assessment]] = relationship(cascade="all, delete-orphan", passive_deletes=True,
                                                         order_by="Assessment.taken_at")
    away_periods: Mapped[list[AwayPeriod]] = relationship(cascade="all, delete-orphan", passive_deletes=True,
                                                          order_by="AwayPeriod.started_at")

    @property
    def timezone(self) -> str:
        """The zone the person lives by: their own override, else Slack's, else UTC."""
        return self.tz_override or self.slack_tz or "UTC"


class Pause(Base):
    """A stretch of time the person asked the bot to leave them alone; both dates inclusive."""

    __tablename__ = "pauses"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date] = mapped_column(Date)
    # Set by /lead resume: the pause still ends today (the week stays bridged), but the person is
    # no longer paused. A pause moved again by /lead pause clears it.
    resumed_at: Mapped[datetime | None]


class AwayPeriod(Base):
    """A stretch the person's Slack status said they were away; ``ended_at`` None while it lasts.

    Opened and closed by ``user_change`` events (an expiring status is closed in advance at its
    expiry), so the away days of past weeks are known without asking Slack.
    """

    __tablename__ = "away_periods"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    started_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]


class Checkin(Base):
    """A person's weekly check-in; one per person per ISO week (a resubmission updates it)."""

    __tablename__ = "checkins"
    __table_args__ = (UniqueConstraint("person_id", "week", name="uq_checkins_person_week"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    week: Mapped[str] = mapped_column(String(8))
    submitted_at: Mapped[datetime]
    personality: Mapped[int] = mapped_column(Integer)
    upskilling: Mapped[int] = mapped_column(Integer)
    delegation: Mapped[int] = mapped_column(Integer)
    progress: Mapped[int] = mapped_column(Integer)
    learning_minutes: Mapped[int] = mapped_column(Integer, default=0)
    practices: Mapped[list[str]] = mapped_column(default=list)
    reflection: Mapped[str | None] = mapped_column(Text)
    energy: Mapped[str | None] = mapped_column(String(16))  # what gave energy (foundations.ENERGY); None: skipped

    person: Mapped[Person] = relationship(back_populates="checkins")

    @property
    def ratings(self) -> dict[str, int]:
        return {
            "personality": self.personality,
            "upskilling": self.upskilling,
            "delegation": self.delegation,
            "progress": self.progress,
        }


class Assessment(Base):
    """One self-assessment (``/lead start`` or ``/lead review``): statement id -> 1..5, and the track then."""

    __tablename__ = "assessments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    taken_at: Mapped[datetime]
    track: Mapped[str | None] = mapped_column(String(16))
    answers: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Reflection(Base):
    """An answer to a Friday reflection prompt; private to its author, filed under its week."""

    __tablename__ = "reflections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    week: Mapped[str] = mapped_column(String(8))
    prompt_id: Mapped[str | None] = mapped_column(String(limits.PROMPT_ID))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]


class LearningLog(Base):
    """Learning minutes logged from an upskilling prompt's "I did it" button.

    Once per prompt and week: the unique index makes a second click (or two racing ones) a no-op.
    """

    __tablename__ = "learning_logs"
    __table_args__ = (Index("uq_learning_logs_person_prompt_week", "person_id", "prompt_id", "week", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    week: Mapped[str] = mapped_column(String(8))
    prompt_id: Mapped[str | None] = mapped_column(String(limits.PROMPT_ID))
    minutes: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime]


class Goal(Base):
    """A measurable goal; progress is a percentage, or a count toward ``target``."""

    __tablename__ = "goals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(limits.GOAL_TITLE))
    foundation: Mapped[str] = mapped_column(String(16))
    measure: Mapped[str | None] = mapped_column(String(limits.GOAL_MEASURE))
    target: Mapped[int | None] = mapped_column(Integer)
    current: Mapped[int] = mapped_column(Integer, default=0)
    progress: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(16), default="active")
    due: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime]
    done_at: Mapped[datetime | None]


class Win(Base):
    """Something a person is proud of; posted to the team channel only when ``shared``."""

    __tablename__ = "wins"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    shared: Mapped[bool] = mapped_column(Boolean, default=False)
    foundation: Mapped[str | None] = mapped_column(String(16))
    week: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime]
    channel: Mapped[str | None] = mapped_column(String(32))
    message_ts: Mapped[str | None] = mapped_column(String(32))


class PromptSend(Base):
    """A library prompt sent to a person, so the choice rule can avoid repeats."""

    __tablename__ = "prompt_sends"
    __table_args__ = (Index("ix_prompt_sends_person_week", "person_id", "week"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    prompt_id: Mapped[str] = mapped_column(String(limits.PROMPT_ID))
    kind: Mapped[str] = mapped_column(String(16))
    week: Mapped[str] = mapped_column(String(8))
    sent_at: Mapped[datetime]


class PromptFeedback(Base):
    """A person's verdict on a prompt: ``helpful`` or ``not_for_me`` (the latest one counts)."""

    __tablename__ = "prompt_feedback"
    __table_args__ = (UniqueConstraint("person_id", "prompt_id", name="uq_prompt_feedback_person_prompt"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    prompt_id: Mapped[str] = mapped_column(String(limits.PROMPT_ID), index=True)
    verdict: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime]


class PairingPreference(Base):
    """What a person seeks and offers in practice pairing (``/lead pair``); one row per person."""

    __tablename__ = "pairing_preferences"

    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), primary_key=True)
    seeks: Mapped[list[str]] = mapped_column(default=list)  # pairing kinds (bot/coaching/pairing.py)
    offers: Mapped[list[str]] = mapped_column(default=list)
    note: Mapped[str | None] = mapped_column(Text)  # shown to the partner when the person seeks
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime]


class PracticePair(Base):
    """One pair of a pairing round, and what each side answered to "did you meet?".

    ``round`` is the round's ISO week. A seeker is in at most one pair a round (the unique key);
    an offerer may be in as many as their capacity. The seeker's note and the questions are kept
    as they were sent, so the follow-up and the export tell the same story.
    """

    __tablename__ = "practice_pairs"
    __table_args__ = (UniqueConstraint("team_id", "round", "seeker_id", name="uq_practice_pairs_round_seeker"),
                      Index("ix_practice_pairs_team_round", "team_id", "round"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    round: Mapped[str] = mapped_column(String(8))
    seeker_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    offerer_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(Text)
    questions: Mapped[list[str]] = mapped_column(default=list)  # pairing question ids
    created_at: Mapped[datetime]
    # "yes", "not_yet" or "skip"; the week a "yes" counts in; a private one-line note to self.
    seeker_answer: Mapped[str | None] = mapped_column(String(16))
    seeker_met_week: Mapped[str | None] = mapped_column(String(8))
    seeker_self_note: Mapped[str | None] = mapped_column(Text)
    offerer_answer: Mapped[str | None] = mapped_column(String(16))
    offerer_met_week: Mapped[str | None] = mapped_column(String(8))
    offerer_self_note: Mapped[str | None] = mapped_column(Text)


class PairingLeftOut(Base):
    """A seeker nobody could be paired with in a round; ``waited`` counts the rounds in a row."""

    __tablename__ = "pairing_left_out"
    __table_args__ = (UniqueConstraint("team_id", "round", "person_id", name="uq_pairing_left_out_round_person"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    round: Mapped[str] = mapped_column(String(8))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    kinds: Mapped[list[str]] = mapped_column(default=list)
    waited: Mapped[int] = mapped_column(Integer, default=1)


class Kudos(Base):
    """Thanks from one person to another (``/lead kudos``); in the team channel only when ``shared``.

    The recipient is a Slack id, not a person row: thanking someone must not enrol them in the
    weekly nudges. ``/lead forget`` deletes the kudos a person received by that id.
    """

    __tablename__ = "kudos"
    __table_args__ = (Index("ix_kudos_team_created", "team_id", "created_at"),
                      Index("ix_kudos_team_recipient", "team_id", "recipient_user"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    giver_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    recipient_user: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    shared: Mapped[bool] = mapped_column(Boolean, default=False)
    week: Mapped[str] = mapped_column(String(8))  # the giver's ISO week
    created_at: Mapped[datetime]
    channel: Mapped[str | None] = mapped_column(String(32))
    message_ts: Mapped[str | None] = mapped_column(String(32))


class Delivery(Base):
    """The ledger that makes every scheduled send happen once.

    A sender first claims (team, recipient, item, week) by inserting this row; the unique key
    lets exactly one process win. ``status`` moves ``claimed`` → ``sent`` (or ``skipped``); a
    ``claimed`` row older than the claim timeout belonged to a process that died and may be
    taken over.
    """

    __tablename__ = "deliveries"
    __table_args__ = (UniqueConstraint("team_id", "recipient", "item", "week", name="uq_deliveries_key"),
                      # The sweep's other lookups: queued rows to hand out, stale claims, finished
                      # rows to prune (the unique key above serves "is it finished?").
                      Index("ix_deliveries_status_claimed", "status", "claimed_at"),
                      Index("ix_deliveries_status_queued", "status", "queued_at"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    recipient: Mapped[str] = mapped_column(String(32))
    item: Mapped[str] = mapped_column(String(64))
    week: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(16), default="claimed")
    claim_token: Mapped[str] = mapped_column(String(64))
    claimed_at: Mapped[datetime]
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    sent_at: Mapped[datetime | None]
    message_ts: Mapped[str | None] = mapped_column(String(32))
    detail: Mapped[str | None] = mapped_column(String(255))
    # Set while the row waits (status ``queued``) for a sender to take it; a claim taken over keeps
    # its ``claimed_at`` until a sender takes it, so the lookup knows how far back to search.
    queued_at: Mapped[datetime | None]


class SendPacing(Base):
    """One token bucket per workspace for chat.postMessage, shared by every process.

    Times are epoch seconds (floats): the bucket is arithmetic on them, in one short transaction.
    """

    __tablename__ = "send_pacing"

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    tokens: Mapped[float] = mapped_column(Float)
    updated_at: Mapped[float] = mapped_column(Float)
    paused_until: Mapped[float] = mapped_column(Float, default=0.0)


class ProcessedEvent(Base):
    """Slack event ids already handled, so a re-sent event is acknowledged but not acted on twice."""

    __tablename__ = "processed_events"

    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    received_at: Mapped[datetime] = mapped_column(index=True)
