"""Follow-up summaries from meeting notes; the notes are stored before anything else happens."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Header, Path
from pydantic import BaseModel, Field

from api.deps import EngineDep, PrincipalDep, StoreDep
from api.limits import EARLIEST_DATE
from coach.followup.refinement import RefinedSummary, RefinementJobView, job_view, summarise_with_refinement
from coach.followup.service import MAX_PARTICIPANTS
from coach.store.auth import require_access
from coach.followup.summaries import Author, Participant
from coach.store.jobs import get_job

router = APIRouter(tags=["summaries"])


class SummaryCreate(BaseModel):
    """Notes from one career conversation."""

    employee_id: str = Field(min_length=1, max_length=100, description="The employee the conversation was with.")
    notes: str = Field(description="The manager's notes as written (limit: COACH_MAX_NOTES_CHARS, default 20,000).")
    meeting_date: date = Field(ge=EARLIEST_DATE, description="When the conversation took place; not in the future.")
    participants: list[Participant] = Field(min_length=2, max_length=MAX_PARTICIPANTS)
    author: Author = Field("manager", description="Who wrote the notes (manager, employee or shared): whom "
                                                  "\"I\", \"me\" and \"my\" mean.")


@router.post("/summaries", response_model=RefinedSummary)
def create_summary(body: SummaryCreate, engine: EngineDep, store: StoreDep, principal: PrincipalDep,
                   idempotency_key: Annotated[str | None, Header(max_length=200)] = None) -> RefinedSummary:
    """The rules summary at once; with an LLM configured, `refinement` names the background job to poll."""
    require_access(principal, body.employee_id)
    return summarise_with_refinement(engine, store, employee_id=body.employee_id,
                                     author_id=principal.person_id or "admin", notes=body.notes,
                                     meeting_date=body.meeting_date, participants=body.participants,
                                     idempotency_key=idempotency_key, author=body.author)


@router.get("/summaries/jobs/{job_id}", response_model=RefinementJobView)
def get_refinement(job_id: Annotated[str, Path(max_length=36)], store: StoreDep,
                   principal: PrincipalDep) -> RefinementJobView:
    """queued, running, done (with the merged rules + model summary) or failed (with the reason)."""
    job = get_job(store, job_id)
    require_access(principal, job.employee_id)
    return job_view(job)
