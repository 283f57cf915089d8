"""Development map versions (re-plan with a diff), maps the knowledge overtook, and recorded development metrics.

Registered before `development_maps` in api/main.py, so GET /development-maps/flagged is not read as a map id.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import BaseModel, ConfigDict, Field

from api.deps import EngineDep, PrincipalDep, StoreDep
from api.limits import EARLIEST_DATE, LATEST_DATE
from coach.growth import replan as replanning
from coach.growth.development import DevelopmentMap
from coach.growth.gaps import Rating
from coach.growth.metrics import CompetencyMetrics, MetricUpdate, record_metric
from coach.growth.replan import MAX_REASON_CHARS, MapFlag, MapVersionView

router = APIRouter(tags=["development maps"])

MapId = Annotated[str, Path(max_length=36, description="A stored map's id.")]


class MapReplanCreate(BaseModel):
    """Why the map is re-planned, and what changes; anything left out is taken from the stored map."""

    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=MAX_REASON_CHARS, description="Why, in a sentence or two.")
    aspiration: str | None = Field(None, max_length=2000, description="A new aspiration; without target_role the "
                                                                      "best role for it becomes the target.")
    target_role: str | None = Field(None, min_length=1, max_length=200, description="A new target role.")
    horizon_months: int | None = Field(None, ge=1, le=60)
    ratings: dict[str, int | Rating] | None = Field(None, max_length=100, description="Ratings that changed.")
    start: date | None = Field(None, ge=EARLIEST_DATE, le=LATEST_DATE,
                               description="A new first day (default: the stored map's start).")


class MapVersionPublic(BaseModel):
    """A new version of a development map: where it sits in the chain, and the map with its `diff`."""

    id: str
    employee_id: str
    version: int
    previous_id: str | None
    reason: str | None
    created_by: str
    map: DevelopmentMap


@router.get("/development-maps/flagged", response_model=list[MapFlag])
def flagged_maps(engine: EngineDep, store: StoreDep, principal: PrincipalDep) -> list[MapFlag]:
    """Open maps (each employee's newest) that no longer match the knowledge, with the reasons; admin: all, manager:
    their reports' and own, employee: own."""
    return replanning.flagged_for(engine, store, principal)


@router.post("/development-maps/{map_id}/replan", response_model=MapVersionPublic, status_code=201)
def replan_map(map_id: MapId, body: MapReplanCreate, engine: EngineDep, store: StoreDep,
               principal: PrincipalDep) -> MapVersionPublic:
    """Re-plan a stored map as its next version: progress of actions that carry over is kept; `map.diff` says what
    moved, was added or dropped, and why. 409 when the map was already re-planned."""
    record = replanning.replan(engine, store, principal, map_id, reason=body.reason, aspiration=body.aspiration,
                               target_role=body.target_role, horizon_months=body.horizon_months,
                               ratings=body.ratings, start=body.start)
    return MapVersionPublic(id=record.id, employee_id=record.employee_id, version=record.version,
                            previous_id=record.previous_id, reason=record.reason, created_by=record.created_by,
                            map=DevelopmentMap.model_validate(record.payload))


@router.get("/development-maps/{map_id}/versions", response_model=list[MapVersionView])
def map_versions(map_id: MapId, store: StoreDep, principal: PrincipalDep) -> list[MapVersionView]:
    """Every version of the plan this map belongs to, oldest first, each with its diff from the one before."""
    return replanning.map_versions(store, principal, map_id)


@router.put("/development-maps/{map_id}/metrics/{competency_id}", response_model=CompetencyMetrics)
def set_metric(map_id: MapId, competency_id: Annotated[str, Path(max_length=60)], body: MetricUpdate,
               store: StoreDep, principal: PrincipalDep) -> CompetencyMetrics:
    """Record the baseline, target and/or current value (each with its date) of one indicator of a gap competency."""
    return record_metric(store, principal, map_id, competency_id, body)
