"""SQLAlchemy tables; migrations/versions must describe the same schema (a test compares them)."""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import (
    JSON, Boolean, CheckConstraint, Date, DateTime, ForeignKey, Integer, MetaData, String, Text, UniqueConstraint,
    false,


)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Named constraints so alembic migrations (and SQLite batch mode) can refer to them.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """Aware UTC now; every timestamp the store writes comes from here."""
    return datetime.now(timezone.utc)


class Base(DeclarativeBase):
    """Declarative base with the naming convention."""

    metadata = MetaData(naming_convention=NAMING)


class Person(Base):
    """A person and their manager."""

    __tablename__ = "people"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320))
    manager_id: Mapped[str | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"), index=True)
    role_id: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ApiToken(Base):
    """An API token, stored only as the sha256 of its value."""

    __tablename__ = "api_tokens"
    __table_args__ = (
        CheckConstraint("principal_role IN ('admin', 'manager', 'employee')", name="principal_role"),
        CheckConstraint("principal_role = 'admin' OR person_id IS NOT NULL", name="person_required"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    principal_role: Mapped[str] = mapped_column(String(16))
    person_id: Mapped[str | None] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    label: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Note(Base):
    """Meeting notes; stored before any summarising so nothing is lost."""

    __tablename__ = "notes"
    __table_args__ = (
        UniqueConstraint("author_id", "idempotency_key", name="uq_notes_author_key"),
        CheckConstraint("status IN ('received', 'summarized', 'failed')", name="status"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    employee_id: Mapped[str] = mapped_column(ForeignKey("people.id"), index=True)
    # Not a foreign key: admin tokens write notes with no person behind them.
    author_id: Mapped[str] = mapped_column(String(64))
    meeting_date: Mapped[date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    idempotency_key: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16), default="received")
    error: Mapped[str | None] = mapped_column(Text)
    summary_json: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    # sha256 of the canonical request (employee, date, notes, participants): an Idempotency-Key replay must match it.
    request_hash: Mapped[str | None] = mapped_column(String(64))
    participants: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON(none_as_null=True))
    # A summary is a draft until its author confirms it; only then are its commitments tracked.
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    confirmed_by: Mapped[str | None] = mapped_column(String(64))


class Commitment(Base):
    """An agreed action kept for follow-up."""

    __tablename__ = "commitments"
    __table_args__ = (
        CheckConstraint("status IN ('open', 'done', 'dropped')", name="status"),
        CheckConstraint("review IN ('proposed', 'confirmed', 'rejected')", name="review"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    employee_id: Mapped[str] = mapped_column(ForeignKey("people.id"), index=True)
    note_id: Mapped[str | None] = mapped_column(ForeignKey("notes.id"), index=True)
    owner: Mapped[str | None] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(Text)
    due: Mapped[date | None] = mapped_column(Date)
    success_indicator: Mapped[str | None] = mapped_column(Text)
    competency_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    evidence: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="open")
    # proposed (a draft, not tracked), confirmed (tracked) or rejected; rows from before drafts existed were tracked.
    review: Mapped[str] = mapped_column(String(16), default="confirmed", server_default="confirmed")
    # Who wrote it (a person id, or "admin"), and the role of its owner among the participants.
    created_by: Mapped[str | None] = mapped_column(String(64))
    owner_role: Mapped[str | None] = mapped_column(String(16))
    # What the engine proposed, kept beside what the person kept (None for commitments a person added).
    proposed: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class CommitmentEventRow(Base):
    """One step of a commitment's history."""

    __tablename__ = "commitment_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    commitment_id: Mapped[str] = mapped_column(ForeignKey("commitments.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    by_person_id: Mapped[str | None] = mapped_column(String(64))
    comment: Mapped[str | None] = mapped_column(Text)
    # Field edits as {field: [before, after]} (review changes included), None for plain status changes.
    changes: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))


class DevelopmentMapRow(Base):
    """A development map as JSON, per employee."""

    __tablename__ = "development_maps"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    employee_id: Mapped[str] = mapped_column(ForeignKey("people.id"), index=True)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)


class RefinementJob(Base):
    """A background refinement of a note's summary by the LLM; in the database so any API process can answer."""

    __tablename__ = "refinement_jobs"
    __table_args__ = (CheckConstraint("status IN ('queued', 'running', 'done', 'failed')", name="status"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    note_id: Mapped[str] = mapped_column(ForeignKey("notes.id", ondelete="CASCADE"), index=True)
    employee_id: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default="queued")
    reason: Mapped[str | None] = mapped_column(Text)
    summary_json: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class MapActionProgressRow(Base):
    """Where one action of a stored development map stands, with the evidence for it."""

    __tablename__ = "map_action_progress"
    __table_args__ = (
        UniqueConstraint("map_id", "action_index"),
        CheckConstraint("status IN ('not_started', 'in_progress', 'done', 'dropped')", name="status"),
        CheckConstraint("action_index >= 0", name="action_index"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    map_id: Mapped[str] = mapped_column(ForeignKey("development_maps.id", ondelete="CASCADE"))
    action_index: Mapped[int] = mapped_column(Integer)  # position in the map payload's `actions`
    status: Mapped[str] = mapped_column(String(16), default="not_started")
    evidence: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Not a foreign key: admin tokens update progress with no person behind them.
    updated_by: Mapped[str | None] = mapped_column(String(64))


class WebSession(Base):
    """A signed-in browser: the sha256 of its cookie, whom it stands for, its CSRF token and expiry."""

    __tablename__ = "web_sessions"
    __table_args__ = (CheckConstraint("principal_role IN ('admin', 'manager', 'employee')", name="principal_role"),)

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    principal_role: Mapped[str] = mapped_column(String(16))
    person_id: Mapped[str | None] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class SigninCode(Base):
    """A one-time sign-in link's code (sha256 only): used once, before it expires."""

    __tablename__ = "signin_codes"
    __table_args__ = (CheckConstraint("principal_role IN ('admin', 'manager', 'employee')", name="principal_role"),)

    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    principal_role: Mapped[str] = mapped_column(String(16))
    person_id: Mapped[str | None] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Agenda(Base):
    """A prepared conversation: the question set as suggested and as the manager edited it."""

    __tablename__ = "agendas"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    employee_id: Mapped[str] = mapped_column(ForeignKey("people.id"), index=True)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)


class Reflection(Base):
    """An employee's own reflection before a session: prompts and answers, private until they share it."""

    __tablename__ = "reflections"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    employee_id: Mapped[str] = mapped_column(ForeignKey("people.id"), index=True)
    # Not a foreign key: the CLI (an admin) may save a reflection on the employee's behalf.
    author_id: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)  # {"items": [{prompt_id, stage, prompt, answer}]}
    shared: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    shared_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Cadence(Base):
    """How often a manager and one report meet; next_session is recomputed from the notes and stored."""

    __tablename__ = "cadences"
    __table_args__ = (
        CheckConstraint("kind IN ('quarterly', 'twice-a-year', 'custom')", name="kind"),
        CheckConstraint("kind != 'custom' OR (every_days BETWEEN 14 AND 366)", name="every_days"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    employee_id: Mapped[str] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), unique=True)
    manager_id: Mapped[str] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    every_days: Mapped[int | None] = mapped_column(Integer)
    anchor: Mapped[date] = mapped_column(Date)
    next_session: Mapped[date] = mapped_column(Date)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class WebhookDelivery(Base):
    """One webhook event (an overdue commitment, per due date) and the outcome of sending it: never sent twice."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        UniqueConstraint("event", "commitment_id", "due"),
        CheckConstraint("status IN ('sending', 'delivered', 'failed')", name="status"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    event: Mapped[str] = mapped_column(String(40))
    commitment_id: Mapped[str] = mapped_column(ForeignKey("commitments.id", ondelete="CASCADE"))
    due: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    response_status: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
    # The day of the last sweep that tried it: a failed delivery is tried again at most once a day.
    last_attempt_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class MapVersion(Base):
    """A re-planned development map: which map it replaces, its version number in the chain and why.

    Maps made from scratch have no row here (version 1); one row per re-plan keeps development_maps unchanged, and
    the unique previous_id keeps each chain linear: a version can be re-planned once, so two managers re-planning
    the same map at once get one new version and a conflict, not two diverging plans.
    """

    __tablename__ = "map_versions"
    __table_args__ = (UniqueConstraint("previous_id"), CheckConstraint("version >= 2", name="version"))

    map_id: Mapped[str] = mapped_column(ForeignKey("development_maps.id", ondelete="CASCADE"), primary_key=True)
    previous_id: Mapped[str] = mapped_column(ForeignKey("development_maps.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)


class OpportunityInterest(Base):
    """An employee's interest in an opportunity from the knowledge; one row per pair, withdrawn or not."""

    __tablename__ = "opportunity_interests"
    __table_args__ = (UniqueConstraint("opportunity_id", "employee_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    # Not a foreign key: opportunities live in the knowledge files, not in the database.
    opportunity_id: Mapped[str] = mapped_column(String(64))
    employee_id: Mapped[str] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class MentorProfile(Base):
    """What the people file says about a person as a mentor: whether they agree, their topics, their ratings."""

    __tablename__ = "mentors"

    person_id: Mapped[str] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), primary_key=True)
    agreed: Mapped[bool] = mapped_column(Boolean, default=False)
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)  # competency ids they offer to mentor on
    ratings: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)  # competency id -> level 1..5
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class FeedbackEvidenceRow(Base):
    """One piece of feedback linked to a competency level: the feedback's own words are the citation."""

    __tablename__ = "feedback_evidence"
    __table_args__ = (
        CheckConstraint("level >= 1 AND level <= 5", name="level"),
        CheckConstraint("polarity IN ('for', 'against')", name="polarity"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    employee_id: Mapped[str] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    # A note id (feedback found in its summary) or 'direct' (given through the API or the CLI); not a foreign key.
    source: Mapped[str] = mapped_column(String(64), index=True)
    quote: Mapped[str] = mapped_column(Text)
    competency_id: Mapped[str] = mapped_column(String(64))
    level: Mapped[int] = mapped_column(Integer)
    # 'against': the words describe falling short of the level ("missed the deadline"), not showing it.
    polarity: Mapped[str] = mapped_column(String(8), default="for")
    # Not a foreign key: admin tokens give feedback with no person behind them.
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
