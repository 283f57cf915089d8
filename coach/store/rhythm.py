"""Reflections, cadences and webhook deliveries in the database; plain records in and out, never ORM rows."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from coach.errors import NotFound
from coach.store.models import Cadence, Commitment, Note, Person, Reflection, WebhookDelivery, utcnow
from coach.store.records import CommitmentRecord, _Record
from coach.store.store import Store

CadenceKind = Literal["quarterly", "twice-a-year", "custom"]
DeliveryStatus = Literal["sending", "delivered", "failed"]


class ReflectionItem(BaseModel):
    """One prompt of a reflection and the employee's answer to it."""

    prompt_id: str | None = Field(None, max_length=64, description="The question-bank id the prompt came from.")
    stage: str | None = Field(None, max_length=20, description="reflect or aspire (the arc stage of the prompt).")
    prompt: str = Field(min_length=1, max_length=500, description="The prompt as the employee saw it.")
    answer: str = Field("", max_length=4000, description="The employee's answer in their own words; may be empty.")


class ReflectionRecord(_Record):
    """A stored reflection; only the employee (and admins) read it until it is shared."""

    id: str
    employee_id: str
    author_id: str = Field(description="Who saved it: the employee's id, or 'admin'.")
    items: list[ReflectionItem]
    shared: bool = Field(description="Whether the employee's managers may read it.")
    created_at: datetime
    shared_at: datetime | None = None


class CadenceRecord(_Record):
    """How often a manager and one report meet, and the next session as last computed."""

    employee_id: str
    manager_id: str
    kind: CadenceKind
    every_days: int | None = Field(None, description="Days between sessions for kind 'custom' (14 to 366).")
    anchor: date = Field(description="The date the rhythm counts from when no later conversation is on file.")
    next_session: date
    updated_at: datetime


class DeliveryRecord(_Record):
    """One webhook event and the outcome of sending it."""

    id: str
    event: str
    commitment_id: str
    due: date
    status: DeliveryStatus
    attempts: int = Field(description="HTTP attempts so far, over every sweep.")
    response_status: int | None = Field(None, description="The receiver's last HTTP status, if it answered.")
    error: str | None = None
    last_attempt_on: date
    created_at: datetime
    updated_at: datetime
    delivered_at: datetime | None = None


# --- reflections ---------------------------------------------------------------------------------------------


def _reflection(row: Reflection) -> ReflectionRecord:
    return ReflectionRecord(id=row.id, employee_id=row.employee_id, author_id=row.author_id,
                            items=[ReflectionItem.model_validate(i) for i in row.payload.get("items", [])],
                            shared=row.shared, created_at=row.created_at, shared_at=row.shared_at)


def save_reflection(store: Store, employee_id: str, author_id: str, items: list[ReflectionItem], *,
                    shared: bool = False) -> ReflectionRecord:
    """Store a reflection for the employee (private unless `shared`)."""
    with store._session(write=True) as session:
        if session.get(Person, employee_id) is None:
            raise NotFound(f"employee_id: no person '{employee_id}' in the store", field="employee_id")
        now = utcnow()
        row = Reflection(id=str(uuid.uuid4()), employee_id=employee_id, author_id=author_id,
                         payload={"items": [i.model_dump() for i in items]}, shared=shared, created_at=now,
                         shared_at=now if shared else None)
        session.add(row)
        session.flush()
        return _reflection(row)


def list_reflections(store: Store, employee_id: str, *, shared_only: bool) -> list[ReflectionRecord]:
    """The employee's reflections, newest first; with shared_only, only those they shared."""
    query = select(Reflection).where(Reflection.employee_id == employee_id)
    if shared_only:
        query = query.where(Reflection.shared.is_(True))
    with store._session() as session:
        rows = session.scalars(query.order_by(Reflection.created_at.desc(), Reflection.id))
        return [_reflection(r) for r in rows]


def latest_shared_reflection(store: Store, employee_id: str) -> ReflectionRecord | None:
    """The employee's most recently shared reflection, or None."""
    query = (select(Reflection).where(Reflection.employee_id == employee_id, Reflection.shared.is_(True))
             .order_by(Reflection.shared_at.desc(), Reflection.id).limit(1))
    with store._session() as session:
        row = session.scalars(query).first()
        return _reflection(row) if row else None


def get_reflection(store: Store, reflection_id: str) -> ReflectionRecord:
    """The reflection, or NotFound naming reflection_id."""
    with store._session() as session:
        row = session.get(Reflection, reflection_id)
        if row is None:
            raise NotFound(f"reflection_id: no reflection '{reflection_id}'", field="reflection_id")
        return _reflection(row)


def share_reflection(store: Store, reflection_id: str) -> ReflectionRecord:
    """Mark the reflection shared (sharing twice keeps the first time)."""
    with store._session(write=True) as session:
        row = session.get(Reflection, reflection_id, with_for_update=True)
        if row is None:
            raise NotFound(f"reflection_id: no reflection '{reflection_id}'", field="reflection_id")
        if not row.shared:
            row.shared, row.shared_at = True, utcnow()
        session.flush()
        return _reflection(row)


# --- cadences ------------------------------------------------------------------------------------------------


def put_cadence(store: Store, employee_id: str, manager_id: str, kind: str, every_days: int | None, anchor: date,
                next_session: date) -> CadenceRecord:
    """Create or replace the employee's cadence."""
    with store._session(write=True) as session:
        row = session.scalars(select(Cadence).where(Cadence.employee_id == employee_id)
                              .with_for_update()).first()
        if row is None:
            row = Cadence(employee_id=employee_id)
            session.add(row)
        row.manager_id, row.kind, row.every_days, row.anchor = manager_id, kind, every_days, anchor
        row.next_session, row.updated_at = next_session, utcnow()
        session.flush()
        return CadenceRecord.model_validate(row)


def get_cadence(store: Store, employee_id: str) -> CadenceRecord | None:
    """The employee's cadence, or None."""
    with store._session() as session:
        row = session.scalars(select(Cadence).where(Cadence.employee_id == employee_id)).first()
        return CadenceRecord.model_validate(row) if row else None


def cadences_where(store: Store, *, manager_id: str | None = None,
                   employee_ids: Iterable[str] | None = None) -> list[CadenceRecord]:
    """Cadences of one manager's pairs and/or of some employees, by employee id."""
    query = select(Cadence)
    if manager_id is not None:
        query = query.where(Cadence.manager_id == manager_id)
    if employee_ids is not None:
        query = query.where(Cadence.employee_id.in_(list(employee_ids)))
    with store._session() as session:
        return [CadenceRecord.model_validate(r) for r in session.scalars(query.order_by(Cadence.employee_id))]


def last_meetings(store: Store, employee_ids: Iterable[str]) -> dict[str, date]:
    """The latest note's meeting date per employee (one query); employees with no notes are absent."""
    ids = list(employee_ids)
    if not ids:
        return {}
    query = (select(Note.employee_id, func.max(Note.meeting_date)).where(Note.employee_id.in_(ids))
             .group_by(Note.employee_id))
    with store._session() as session:
        return {employee: last for employee, last in session.execute(query) if last is not None}


def set_next_sessions(store: Store, changes: list[tuple[CadenceRecord, date]]) -> None:
    """Store recomputed next sessions; a cadence replaced meanwhile (another PUT) is left as that PUT wrote it."""
    if not changes:
        return
    now = utcnow()
    with store._session(write=True) as session:
        for record, next_session in changes:
            session.execute(update(Cadence).where(
                Cadence.employee_id == record.employee_id, Cadence.kind == record.kind,
                Cadence.anchor == record.anchor, Cadence.next_session == record.next_session,
            ).values(next_session=next_session, updated_at=now))


def people_names(store: Store, person_ids: Iterable[str]) -> dict[str, str]:
    """Names by person id (unknown ids are absent)."""
    ids = list(person_ids)
    with store._session() as session:
        rows = session.execute(select(Person.id, Person.name).where(Person.id.in_(ids))) if ids else []
        return {person_id: name for person_id, name in rows}


# --- webhook deliveries --------------------------------------------------------------------------------------


def overdue_commitments(store: Store, today: date) -> list[CommitmentRecord]:
    """Every tracked open commitment due before `today`, across all employees, oldest due first."""
    query = (select(Commitment).where(Commitment.status == "open", Commitment.review == "confirmed",
                                      Commitment.due.is_not(None), Commitment.due < today)
             .order_by(Commitment.due, Commitment.created_at, Commitment.id))
    with store._session() as session:
        return [Store._commitment_record(r, today) for r in session.scalars(query)]


def claim_delivery(store: Store, event: str, commitment_id: str, due: date, today: date) -> DeliveryRecord | None:
    """The delivery to attempt now, marked 'sending' for `today`; None when it was delivered or already tried today.

    The claim is one write transaction (and a unique key), so two sweeps running at once never both send it.
    """
    try:
        with store._session(write=True) as session:
            row = session.scalars(select(WebhookDelivery).where(
                WebhookDelivery.event == event, WebhookDelivery.commitment_id == commitment_id,
                WebhookDelivery.due == due).with_for_update()).first()
            now = utcnow()
            if row is None:
                row = WebhookDelivery(id=str(uuid.uuid4()), event=event, commitment_id=commitment_id, due=due,
                                      attempts=0, created_at=now)
                session.add(row)
            elif row.status == "delivered" or row.last_attempt_on >= today:
                return None
            row.status, row.last_attempt_on, row.updated_at = "sending", today, now
            session.flush()
            return DeliveryRecord.model_validate(row)
    except IntegrityError:
        return None  # another sweep inserted the same event first (PostgreSQL): it sends it


def finish_delivery(store: Store, delivery_id: str, *, delivered: bool, attempts: int, response_status: int | None,
                    error: str | None) -> DeliveryRecord:
    """Record how a delivery went: delivered or failed, after how many more attempts, and why."""
    with store._session(write=True) as session:
        row = session.get(WebhookDelivery, delivery_id)
        if row is None:
            raise NotFound(f"delivery_id: no delivery '{delivery_id}'", field="delivery_id")
        now = utcnow()
        row.status = "delivered" if delivered else "failed"
        row.attempts += attempts
        row.response_status, row.error, row.updated_at = response_status, (error or None) and error[:2000], now
        if delivered:
            row.delivered_at = now
        session.flush()
        return DeliveryRecord.model_validate(row)


def list_deliveries(store: Store, commitment_id: str | None = None) -> list[DeliveryRecord]:
    """Every delivery (or one commitment's), oldest first."""
    query = select(WebhookDelivery)
    if commitment_id is not None:
        query = query.where(WebhookDelivery.commitment_id == commitment_id)
    with store._session() as session:
        rows = session.scalars(query.order_by(WebhookDelivery.created_at, WebhookDelivery.id))
        return [DeliveryRecord.model_validate(r) for r in rows]
