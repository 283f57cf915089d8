"""Commitments kept for follow-up: list an employee's tracked ones (paged), edit, confirm or reject one."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from api.deps import PrincipalDep, StoreDep
from api.limits import EARLIEST_DATE, LATEST_DATE
from coach.errors import InvalidInput
from coach.followup import review
from coach.store.auth import require_access
from coach.store.store import MAX_PAGE

router = APIRouter(tags=["commitments"])
Status = Literal["open", "done", "dropped"]


class CommitmentUpdate(BaseModel):
    """Any editable field of a commitment, a status change, and an optional comment for the history."""

    model_config = ConfigDict(extra="forbid")

    owner: str | None = Field(None, min_length=1, max_length=200, description="A participant's name, or null.")
    action: str | None = Field(None, min_length=1, max_length=2000)
    due: date | None = Field(None, ge=EARLIEST_DATE, le=LATEST_DATE)
    success_indicator: str | None = Field(None, max_length=2000)
    status: Status | None = None
    comment: str | None = Field(None, max_length=1000)

    def edits(self) -> dict:
        """The fields the caller sent (null included: it clears owner, due or success indicator)."""
        return {k: getattr(self, k) for k in self.model_fields_set if k in review.EDITABLE_FIELDS}


class CommitmentReview(BaseModel):
    """A comment kept in the history with a confirmation or a rejection."""

    model_config = ConfigDict(extra="forbid")

    comment: str | None = Field(None, max_length=1000)


class CommitmentPage(BaseModel):
    """One page of commitments; pass `next_cursor` as `cursor` for the next (null: no more)."""

    items: list[dict]
    next_cursor: str | None = None


@router.get("/employees/{employee_id}/commitments", response_model=CommitmentPage)
def list_commitments(employee_id: str, store: StoreDep, principal: PrincipalDep, status: Status | None = None,
                     limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
                     cursor: Annotated[str | None, Query(max_length=500)] = None) -> CommitmentPage:
    """The employee's tracked (confirmed) commitments, soonest due first, each with an `overdue` flag."""
    require_access(principal, employee_id)
    # One more than asked tells whether another page exists, without a count query.
    rows = store.list_commitments(employee_id, status=status, today=date.today(), limit=limit + 1, cursor=cursor)
    page = rows[:limit]
    more = len(rows) > limit
    return CommitmentPage(items=[c.model_dump(mode="json") for c in page],
                          next_cursor=store.page_cursor(page[-1]) if more else None)


@router.patch("/commitments/{commitment_id}")
def update_commitment(commitment_id: str, body: CommitmentUpdate, store: StoreDep, principal: PrincipalDep) -> dict:
    """Edit owner, action, due, success indicator or status; the change is kept in its history."""
    if not body.model_fields_set:
        raise InvalidInput("body: send at least one of owner, action, due, success_indicator, status, comment",
                           field="body")
    updated = review.edit_commitment(store, principal, commitment_id, fields=body.edits(), status=body.status,
                                     comment=body.comment)
    return review.with_history(store, updated)


@router.post("/commitments/{commitment_id}/confirm")
def confirm_commitment(commitment_id: str, body: CommitmentReview, store: StoreDep, principal: PrincipalDep) -> dict:
    """Track one commitment (e.g. a manager confirming what an employee's notes gave them)."""
    return review.with_history(store, review.confirm_commitment(store, principal, commitment_id))


@router.post("/commitments/{commitment_id}/reject")
def reject_commitment(commitment_id: str, body: CommitmentReview, store: StoreDep, principal: PrincipalDep) -> dict:
    """Reject a wrong commitment: kept with its history, never tracked."""
    return review.with_history(store, review.reject_commitment(store, principal, commitment_id, body.comment))
