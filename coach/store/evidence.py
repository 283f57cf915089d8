"""Feedback evidence in the database: which competency level a piece of feedback shows, quoted in its own words."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field
from sqlalchemy import delete, select

from coach.errors import InvalidInput, NotFound
from coach.store.models import FeedbackEvidenceRow, Person, utcnow
from coach.store.records import _Record
from coach.store.store import MAX_ID_CHARS, Store

DIRECT = "direct"
MAX_QUOTE_CHARS = 5000
MAX_LINKS = 50  # per write: a note's feedback list or one piece of feedback never needs more
Polarity = Literal["for", "against"]


class EvidenceIn(BaseModel):
    """One link to store: the quoted words, the competency and level they speak to, and in which direction."""

    quote: str = Field(min_length=1, max_length=MAX_QUOTE_CHARS, description="The feedback's own words, verbatim.")
    competency_id: str = Field(min_length=1, max_length=MAX_ID_CHARS, description="A knowledge competency id.")
    level: int = Field(ge=1, le=5, description="The competency level whose behaviours the words match.")
    polarity: Polarity = Field("for", description="'for': shows the level; 'against': describes falling short.")


class EvidenceRecord(_Record):
    """A stored link as the store returns it (timestamps in UTC)."""

    id: str
    employee_id: str
    source: str = Field(description="The note id whose summary held the feedback, or 'direct'.")
    quote: str
    competency_id: str
    level: int
    polarity: Polarity
    created_by: str
    created_at: datetime


def _checked(links: list[EvidenceIn], source: str, created_by: str) -> None:
    if not source or len(source) > MAX_ID_CHARS:
        raise InvalidInput(f"source: 1 to {MAX_ID_CHARS} characters", field="source")
    if not created_by or len(created_by) > MAX_ID_CHARS:
        raise InvalidInput(f"created_by: 1 to {MAX_ID_CHARS} characters", field="created_by")
    if len(links) > MAX_LINKS:
        raise InvalidInput(f"links: at most {MAX_LINKS} per write, got {len(links)}", field="links")


def save_evidence(store: Store, employee_id: str, source: str, links: list[EvidenceIn], created_by: str, *,
                  replace: bool = False) -> list[EvidenceRecord]:
    """Store the links in one transaction; `replace` first drops the employee's links from the same source.

    Replacing makes linking a note's summary idempotent: linking it again (after an edit) leaves one set of links.
    """
    _checked(links, source, created_by)
    with store._session(write=True) as session:
        if session.get(Person, employee_id) is None:
            raise NotFound(f"employee_id: no person '{employee_id}' in the store", field="employee_id")
        if replace:
            session.execute(delete(FeedbackEvidenceRow).where(FeedbackEvidenceRow.employee_id == employee_id,
                                                              FeedbackEvidenceRow.source == source))
        now = utcnow()
        rows = [FeedbackEvidenceRow(id=str(uuid.uuid4()), employee_id=employee_id, source=source, quote=link.quote,
                                    competency_id=link.competency_id, level=link.level, polarity=link.polarity,
                                    created_by=created_by, created_at=now) for link in links]
        session.add_all(rows)
        session.flush()
        return [EvidenceRecord.model_validate(r) for r in rows]


def list_evidence(store: Store, employee_id: str, *, competency_id: str | None = None) -> list[EvidenceRecord]:
    """The employee's evidence, newest first (optionally for one competency)."""
    query = select(FeedbackEvidenceRow).where(FeedbackEvidenceRow.employee_id == employee_id)
    if competency_id is not None:
        query = query.where(FeedbackEvidenceRow.competency_id == competency_id)
    with store._session() as session:
        rows = session.scalars(query.order_by(FeedbackEvidenceRow.created_at.desc(), FeedbackEvidenceRow.id))
        return [EvidenceRecord.model_validate(r) for r in rows]
