"""Commitments kept for follow-up: list an employee's, change a status."""

from __future__ import annotations

from datetime import date
from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field

from api.deps import PrincipalDep, StoreDep
from coach.store.auth import require_access

router = APIRouter(tags=["commitments"])
Status = Literal["open", "done", "dropped"]


class CommitmentUpdate(BaseModel):
    """A status change, with an optional comment for the history."""

    status: Status
    comment: str | None = Field(None, max_length=1000)


@router.get("/employees/{employee_id}/commitments")
def list_commitments(employee_id: str, store: StoreDep, principal: PrincipalDep, status: Status | None = None) -> list[dict]:
    """The employee's commitments, each with an `overdue` flag."""
    require_access(principal, employee_id)
    return [c.model_dump(mode="json") for c in store.list_commitments(employee_id, status=status, today=date.today())]


@router.patch("/commitments/{commitment_id}")
def update_commitment(commitment_id: str, body: CommitmentUpdate, store: StoreDep, principal: PrincipalDep) -> dict:
    """Mark a commitment done, dropped or open again; the change is kept in its history."""
    commitment = store.get_commitment(commitment_id)
    require_access(principal, commitment.employee_id)
    updated = store.update_commitment_status(commitment_id, body.status, principal.person_id, body.comment)
    return {**updated.model_dump(mode="json"),
            "history": [e.model_dump(mode="json") for e in store.commitment_history(commitment_id)]}
