"""Development maps: aspiration to gaps to a dated plan; stored per employee."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter
from pydantic import BaseModel, Field

from api.deps import EngineDep, PrincipalDep, StoreDep
from api.limits import EARLIEST_DATE, LATEST_DATE
from coach.growth.service import development_map
from coach.growth.development import DevelopmentMap
from coach.growth.gaps import Rating
from coach.store.auth import require_access

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
