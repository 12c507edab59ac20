"""The bot's data, as SQLAlchemy 2.0 typed models.

Times are stored as aware UTC datetimes; ISO weeks as ``YYYY-Www`` strings (they sort in time
order). Everything a person wrote or rated hangs off :class:`Person` and is deleted with them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
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
    created_at: Mapped[datetime]


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
