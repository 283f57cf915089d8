"""Interest in opportunities (register, withdraw, what a manager's reports registered) and mentor profiles."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from coach.errors import InvalidInput, NotFound
from coach.store.models import MentorProfile, OpportunityInterest, Person, utcnow
from coach.store.records import _Record
from coach.store.store import Store

MAX_INTEREST_NOTE_CHARS = 1000


class InterestRecord(_Record):
    """An employee's interest in one opportunity; withdrawn_at is set once they withdraw it."""

    id: int
    opportunity_id: str
    employee_id: str
    note: str | None = Field(None, description="What the employee wrote when registering.")
    created_at: datetime = Field(description="When the interest was (last) registered.")
    withdrawn_at: datetime | None = None


class OrgPerson(BaseModel):
    """A person in the same organisation as someone, with what the people file says about them as a mentor."""

    model_config = ConfigDict(frozen=True)

    id: str
    name: str
    email: str | None = None
    manager_id: str | None = None
    role_id: str | None = None
    mentor: bool = Field(False, description="Agrees to mentor.")
    topics: tuple[str, ...] = Field((), description="Competency ids they offer to mentor on; empty: any.")
    ratings: dict[str, int] = Field(default_factory=dict, description="Competency id -> their level 1..5.")


def register_interest(store: Store, opportunity_id: str, employee_id: str, note: str | None) -> InterestRecord:
    """Record (or renew, after a withdrawal) the employee's interest; registering twice updates the note."""
    if note is not None and len(note) > MAX_INTEREST_NOTE_CHARS:
        raise InvalidInput(f"note: at most {MAX_INTEREST_NOTE_CHARS} characters, got {len(note)}", field="note")
    for attempt in (1, 2):
        try:
            with store._session(write=True) as session:
                if session.get(Person, employee_id) is None:
                    raise NotFound(f"employee_id: no person '{employee_id}' in the store", field="employee_id")
                row = _interest_row(session, opportunity_id, employee_id)
                if row is None:
                    row = OpportunityInterest(opportunity_id=opportunity_id, employee_id=employee_id)
                    session.add(row)
                if row.withdrawn_at is not None or row.created_at is None:
                    row.created_at, row.withdrawn_at = utcnow(), None
                row.note = note
                session.flush()
                return InterestRecord.model_validate(row)
        except IntegrityError:
            if attempt == 2:  # two registrations of the same pair at once (PostgreSQL): the second updates the first
                raise
    raise AssertionError("unreachable")


def withdraw_interest(store: Store, opportunity_id: str, employee_id: str) -> InterestRecord:
    """Withdraw the employee's active interest; NotFound when there is none."""
    with store._session(write=True) as session:
        row = _interest_row(session, opportunity_id, employee_id)
        if row is None or row.withdrawn_at is not None:
            raise NotFound(f"opportunity_id: '{employee_id}' has no active interest in '{opportunity_id}'",
                           field="opportunity_id")
        row.withdrawn_at = utcnow()
        session.flush()
        return InterestRecord.model_validate(row)


def interests_of(store: Store, employee_ids: Iterable[str], *, include_withdrawn: bool = False) -> list[InterestRecord]:
    """The interests of these employees, newest first (active ones only unless include_withdrawn)."""
    ids = sorted(set(employee_ids))
    if not ids:
        return []
    query = select(OpportunityInterest).where(OpportunityInterest.employee_id.in_(ids))
    if not include_withdrawn:
        query = query.where(OpportunityInterest.withdrawn_at.is_(None))
    query = query.order_by(OpportunityInterest.created_at.desc(), OpportunityInterest.id)
    with store._session() as session:
        return [InterestRecord.model_validate(r) for r in session.scalars(query)]


def organisation_of(store: Store, person_id: str) -> list[OrgPerson]:
    """Everyone whose manager chain reaches the same top as the person's (the person included)."""
    with store._session() as session:
        people = {p.id: p for p in session.scalars(select(Person))}
        if person_id not in people:
            raise NotFound(f"employee_id: no person '{person_id}' in the store", field="employee_id")
        profiles = {m.person_id: m for m in session.scalars(select(MentorProfile))}

    def top(pid: str) -> str:
        seen = {pid}
        while (manager := people[pid].manager_id) is not None and manager in people and manager not in seen:
            seen.add(manager)
            pid = manager
        return pid

    root = top(person_id)
    members = []
    for pid in sorted(people):
        if top(pid) != root:
            continue
        row, profile = people[pid], profiles.get(pid)
        members.append(OrgPerson(id=row.id, name=row.name, email=row.email, manager_id=row.manager_id,
                                 role_id=row.role_id, mentor=bool(profile and profile.agreed),
                                 topics=tuple(profile.topics or ()) if profile else (),
                                 ratings=dict(profile.ratings or {}) if profile else {}))
    return members


def _interest_row(session: Session, opportunity_id: str, employee_id: str) -> OpportunityInterest | None:
    return session.scalars(select(OpportunityInterest).where(
        OpportunityInterest.opportunity_id == opportunity_id, OpportunityInterest.employee_id == employee_id)
        .with_for_update()).first()
