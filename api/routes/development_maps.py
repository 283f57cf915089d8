"""Development maps: aspiration to gaps to a dated plan; stored per employee, with each action's progress."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import BaseModel, ConfigDict, Field

from api.deps import EngineDep, PrincipalDep, StoreDep
from api.limits import EARLIEST_DATE, LATEST_DATE
from coach.growth import progress
from coach.growth.service import development_map
from coach.growth.development import DevelopmentMap
from coach.growth.gaps import Rating
from coach.store.auth import require_access
from coach.store.records import ActionProgressRecord, ActionStatus
from coach.store.store import MAX_EVIDENCE_CHARS

router = APIRouter(tags=["development maps"])


class DevelopmentMapCreate(BaseModel):
    """What a development map is built from."""

    employee_id: str | None = Field(None, max_length=100, description="Store the map for this employee.")
    current_role: str = Field(min_length=1, max_length=200)
    aspiration: str = Field("", max_length=2000)
    target_role: str | None = Field(None, max_length=200)
    ratings: dict[str, int | Rating] | None = Field(None, max_length=100)
    horizon_months: int = Field(12, ge=1, le=60)
    start: date | None = Field(None, ge=EARLIEST_DATE, le=LATEST_DATE,
                               description="First day of the plan (default: today).")


class ActionProgressUpdate(BaseModel):
    """Where one action of a stored map stands, and what shows it."""

    model_config = ConfigDict(extra="forbid")

    status: ActionStatus = Field(description="not_started, in_progress, done or dropped.")
    evidence: str | None = Field(None, max_length=MAX_EVIDENCE_CHARS, description="What shows the progress.")


MapId = Annotated[str, Path(max_length=36, description="A stored map's id.")]


class DevelopmentMapPublic(DevelopmentMap):
    """A development map, with its stored id when it was saved."""

    id: str | None = None


@router.post("/development-maps", response_model=DevelopmentMapPublic)
def create_development_map(body: DevelopmentMapCreate, engine: EngineDep, store: StoreDep,
                           principal: PrincipalDep) -> DevelopmentMapPublic:
    """Target role (or candidates), prioritised gaps, actions with milestones and due dates, check-ins."""
    if body.employee_id:
        require_access(principal, body.employee_id)
    dev_map = development_map(engine, body.current_role, aspiration=body.aspiration, target_role=body.target_role,
                                    ratings=body.ratings, horizon_months=body.horizon_months, start=body.start,
                                    employee=body.employee_id)
    public = DevelopmentMapPublic(**dev_map.model_dump())
    if body.employee_id:
        record = store.save_map(body.employee_id, principal.person_id or "admin", dev_map.model_dump(mode="json"))
        public.id = record.id
    return public


@router.get("/employees/{employee_id}/development-maps")
def list_development_maps(employee_id: Annotated[str, Path(max_length=100)], store: StoreDep,
                          principal: PrincipalDep) -> list[dict]:
    """The employee's stored maps, newest first: target role, horizon, how many gaps and actions."""
    return progress.map_list(store, principal, employee_id)


@router.get("/development-maps/{map_id}")
def get_development_map(map_id: MapId, store: StoreDep, principal: PrincipalDep) -> dict:
    """The stored map with its id, employee, creation and the progress of each action (`progress[i]`)."""
    return progress.map_view(store, principal, map_id)


@router.put("/development-maps/{map_id}/actions/{action_index}/progress", response_model=ActionProgressRecord)
def set_action_progress(map_id: MapId, action_index: Annotated[int, Path(ge=0)],
                        body: ActionProgressUpdate, store: StoreDep, principal: PrincipalDep) -> ActionProgressRecord:
    """Set where one action stands; the employee and their managers may."""
    return progress.update_progress(store, principal, map_id, action_index, body.status, body.evidence)
