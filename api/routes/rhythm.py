"""The rhythm between conversations: a cadence per pair, a manager's overdue sessions, a person's calendar feed."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from api.deps import PrincipalDep, StoreDep
from api.limits import EARLIEST_DATE, LATEST_DATE
from coach.rhythm import cadence
from coach.rhythm.cadence import MAX_DAYS, MIN_DAYS, CadencePublic, OverdueSession
from coach.rhythm.calendar import calendar_feed
from coach.store.rhythm import CadenceKind

router = APIRouter(tags=["rhythm"])
PersonId = Annotated[str, Path(max_length=100, description="A person's id.")]


class CadenceCreate(BaseModel):
    """How often the employee and their manager meet."""

    model_config = ConfigDict(extra="forbid")

    kind: CadenceKind = Field(description="quarterly, twice-a-year, or custom (with every_days).")
    every_days: int | None = Field(None, ge=MIN_DAYS, le=MAX_DAYS,
                                   description=f"Days between sessions, {MIN_DAYS} to {MAX_DAYS}; only for custom.")
    anchor: date | None = Field(None, ge=EARLIEST_DATE, le=LATEST_DATE,
                                description="Count from this date while no later conversation is on file "
                                            "(default: the last conversation on file, else today).")
    manager_id: str | None = Field(None, max_length=100,
                                   description="The manager of the pair (default: the employee's manager).")


@router.put("/employees/{employee_id}/cadence", response_model=CadencePublic)
def put_cadence(employee_id: PersonId, body: CadenceCreate, store: StoreDep, principal: PrincipalDep) -> CadencePublic:
    """Set the pair's cadence; the next session is one interval after the last conversation (or the anchor)."""
    return cadence.set_cadence(store, principal, employee_id, body.kind, body.every_days, body.anchor,
                               body.manager_id)


@router.get("/employees/{employee_id}/cadence", response_model=CadencePublic)
def get_cadence(employee_id: PersonId, store: StoreDep, principal: PrincipalDep) -> CadencePublic:
    """The pair's cadence, with the next session recomputed from the latest notes."""
    return cadence.get_cadence(store, principal, employee_id)


@router.get("/managers/{manager_id}/overdue-sessions", response_model=list[OverdueSession])
def overdue_sessions(manager_id: PersonId, store: StoreDep, principal: PrincipalDep) -> list[OverdueSession]:
    """The manager's pairs whose session is past due, most overdue first; a manager may ask only for themself."""
    return cadence.overdue_sessions(store, principal, manager_id)


@router.get("/people/{person_id}/calendar.ics", response_class=Response,
            responses={200: {"content": {"text/calendar": {}}, "description": "An RFC 5545 calendar."}})
def calendar(person_id: PersonId, store: StoreDep, principal: PrincipalDep) -> Response:
    """Upcoming sessions (a manager's with each report too), development-map check-ins and open commitments' dues."""
    text = calendar_feed(store, principal, person_id)
    return Response(text, media_type="text/calendar; charset=utf-8",
                    headers={"Content-Disposition": f'inline; filename="{person_id}.ics"', "Cache-Control": "no-store"})
