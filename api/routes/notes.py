"""Stored notes and their draft summary: list and read them, add a missed commitment, confirm the summary."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import BaseModel, ConfigDict, Field

from api.deps import EngineDep, PrincipalDep, StoreDep
from api.limits import EARLIEST_DATE, LATEST_DATE
from coach.followup import review

router = APIRouter(tags=["notes"])


class CommitmentCreate(BaseModel):
    """A commitment the engine missed."""

    model_config = ConfigDict(extra="forbid")

    owner: str | None = Field(None, min_length=1, max_length=200, description="A participant's name, or null.")
    action: str = Field(min_length=1, max_length=2000)
    due: date | None = Field(None, ge=EARLIEST_DATE, le=LATEST_DATE)
    success_indicator: str | None = Field(None, max_length=2000)
    comment: str | None = Field(None, max_length=1000)


@router.get("/employees/{employee_id}/notes")
def list_notes(employee_id: Annotated[str, Path(max_length=100)], store: StoreDep,
               principal: PrincipalDep) -> list[dict]:
    """The employee's notes, newest meeting first: status, an excerpt, commitments counted by review."""
    return review.note_list(store, principal, employee_id)


@router.get("/notes/{note_id}")
def get_note(note_id: str, store: StoreDep, principal: PrincipalDep) -> dict:
    """The notes, their summary and every commitment (proposed, confirmed, rejected) with its history."""
    return review.note_view(store, principal, note_id)


@router.post("/notes/{note_id}/commitments", status_code=201)
def add_commitment(note_id: str, body: CommitmentCreate, store: StoreDep, principal: PrincipalDep) -> dict:
    """Add a commitment to the note's summary; tracked at once only when the summary is already confirmed."""
    item = body.model_dump(mode="json", exclude={"comment"})
    return review.with_history(store, review.add_commitment(store, principal, note_id, item, body.comment))


@router.post("/notes/{note_id}/confirm")
def confirm_note(note_id: str, engine: EngineDep, store: StoreDep, principal: PrincipalDep) -> dict:
    """Confirm the summary: its proposed commitments become tracked (an employee cannot confirm the manager's),
    and the feedback it records becomes evidence on the career map."""
    review.confirm_and_link(engine, store, principal, note_id)
    return review.note_view(store, principal, note_id)
