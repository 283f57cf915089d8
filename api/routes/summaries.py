"""Follow-up summaries from meeting notes; the notes are stored before anything else happens."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Header
from pydantic import BaseModel, Field

from api.deps import EngineDep, PrincipalDep, StoreDep
from api.limits import EARLIEST_DATE
from coach.followup.service import MAX_PARTICIPANTS, StoredSummary, summarise_and_store
from coach.store.auth import require_access
from coach.followup.summaries import Author, Participant

router = APIRouter(tags=["summaries"])


class SummaryCreate(BaseModel):
    """Notes from one career conversation."""

    employee_id: str = Field(min_length=1, max_length=100, description="The employee the conversation was with.")
    notes: str = Field(description="The manager's notes as written (limit: COACH_MAX_NOTES_CHARS, default 20,000).")
    meeting_date: date = Field(ge=EARLIEST_DATE, description="When the conversation took place; not in the future.")
    participants: list[Participant] = Field(min_length=2, max_length=MAX_PARTICIPANTS)
    author: Author = Field("manager", description="Who wrote the notes (manager, employee or shared): whom "
                                                  "\"I\", \"me\" and \"my\" mean.")


@router.post("/summaries", response_model=StoredSummary)
def create_summary(body: SummaryCreate, engine: EngineDep, store: StoreDep, principal: PrincipalDep,
                   idempotency_key: Annotated[str | None, Header(max_length=200)] = None) -> StoredSummary:
    """Recap, reflections, commitments (owner, due date, evidence), resources and next check-in."""
    require_access(principal, body.employee_id)
    return summarise_and_store(engine, store, employee_id=body.employee_id, author_id=principal.person_id or "admin",
                               notes=body.notes, meeting_date=body.meeting_date, participants=body.participants,
                               idempotency_key=idempotency_key, author=body.author)
