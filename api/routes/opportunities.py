"""Opportunities that fit an employee's development map, interest in them, and mentors for the map."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, ConfigDict, Field

from api.deps import EngineDep, PrincipalDep, StoreDep
from coach.growth.mentors import MentorSuggestion, mentors_for
from coach.growth.opportunities import (
    MAX_ASPIRATION_CHARS, InterestView, OpportunityMatch, express_interest, interests_for_manager, opportunities_for,
    withdraw,
)
from coach.store.opportunities import MAX_INTEREST_NOTE_CHARS, InterestRecord

router = APIRouter(tags=["opportunities and mentors"])
PersonId = Annotated[str, Path(max_length=64, description="A person id, e.g. lena-fischer.")]
OpportunityId = Annotated[str, Path(max_length=64, description="An opportunity id from knowledge/opportunities.yaml.")]


class OpportunityInterestCreate(BaseModel):
    """An employee's interest in an opportunity."""

    model_config = ConfigDict(extra="forbid")

    employee_id: str | None = Field(None, max_length=64,
                                    description="Default: the caller. Only admins may name someone else.")
    note: str | None = Field(None, max_length=MAX_INTEREST_NOTE_CHARS, description="Why they are interested.")


class OpportunityInterestPublic(InterestRecord):
    """A registered (or withdrawn) interest."""


@router.get("/employees/{employee_id}/opportunities", response_model=list[OpportunityMatch])
def list_opportunities(employee_id: PersonId, engine: EngineDep, store: StoreDep, principal: PrincipalDep,
                       aspiration: Annotated[str | None, Query(max_length=MAX_ASPIRATION_CHARS)] = None,
                       limit: Annotated[int, Query(ge=1, le=50)] = 10) -> list[OpportunityMatch]:
    """Open opportunities that fit the employee's latest development map (or the aspiration), best first."""
    return opportunities_for(engine, store, principal, employee_id, aspiration=aspiration, limit=limit)


@router.post("/opportunities/{opportunity_id}/interest", response_model=OpportunityInterestPublic)
def register_interest(opportunity_id: OpportunityId, body: OpportunityInterestCreate, engine: EngineDep,
                      store: StoreDep, principal: PrincipalDep) -> InterestRecord:
    """Register interest in an open opportunity; employees for themselves (admins for anyone)."""
    return express_interest(engine, store, principal, opportunity_id, employee_id=body.employee_id, note=body.note)


@router.delete("/opportunities/{opportunity_id}/interest", response_model=OpportunityInterestPublic)
def withdraw_interest(opportunity_id: OpportunityId, store: StoreDep, principal: PrincipalDep,
                      employee_id: Annotated[str | None, Query(max_length=64)] = None) -> InterestRecord:
    """Withdraw one's interest (admins: name the employee_id)."""
    return withdraw(store, principal, opportunity_id, employee_id=employee_id)


@router.get("/managers/{manager_id}/opportunity-interests", response_model=list[InterestView])
def manager_interests(manager_id: PersonId, engine: EngineDep, store: StoreDep, principal: PrincipalDep,
                      include_withdrawn: bool = False) -> list[InterestView]:
    """What the manager's direct and indirect reports registered interest in, newest first."""
    return interests_for_manager(engine, store, principal, manager_id, include_withdrawn=include_withdrawn)


@router.get("/employees/{employee_id}/mentors", response_model=list[MentorSuggestion])
def list_mentors(employee_id: PersonId, engine: EngineDep, store: StoreDep, principal: PrincipalDep,
                 map_id: Annotated[str | None, Query(max_length=36)] = None) -> list[MentorSuggestion]:
    """People in the organisation who agreed to mentor and can help with the map's needs, best first."""
    return mentors_for(engine, store, principal, employee_id, map_id)
