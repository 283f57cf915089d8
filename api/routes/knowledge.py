"""Roles, competencies, search and reindexing: the organisation's knowledge."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from api.deps import AdminDep, EngineDep, PrincipalDep
from coach.errors import NotFound
from coach.knowledge import Competency, Role
from coach.growth.paths import PathExploration, explore_paths

router = APIRouter(tags=["knowledge"])
Kind = Literal["role", "competency", "resource", "question", "opportunity"]


@router.get("/roles", response_model=list[Role])
def list_roles(engine: EngineDep, _: PrincipalDep, job_family: str | None = None,
               track: Literal["ic", "management"] | None = None) -> list[Role]:
    """Every role, optionally of one job family or track."""
    return [r for r in engine.knowledge.roles.values()
            if (job_family is None or r.job_family == job_family) and (track is None or r.track == track)]


@router.get("/roles/{role_id}", response_model=Role)
def get_role(role_id: str, engine: EngineDep, _: PrincipalDep) -> Role:
    """One role by id."""
    if role_id not in engine.knowledge.roles:
        raise NotFound(f"role_id: no role '{role_id}'", field="role_id")
    return engine.knowledge.roles[role_id]


@router.get("/roles/{role_id}/paths", response_model=PathExploration)
def role_paths(role_id: str, engine: EngineDep, _: PrincipalDep,
               interests: Annotated[str, Query(max_length=2000)] = "",
               limit: Annotated[int, Query(ge=1, le=20)] = 6) -> PathExploration:
    """Ranked career paths from this role (up, lateral, expert IC, management)."""
    return explore_paths(engine, role_id, interests, limit=limit)


@router.get("/competencies", response_model=list[Competency])
def list_competencies(engine: EngineDep, _: PrincipalDep, family: str | None = None) -> list[Competency]:
    """Every competency with its five levels."""
    return [c for c in engine.knowledge.competencies.values() if family is None or c.family == family]


@router.get("/competencies/{competency_id}", response_model=Competency)
def get_competency(competency_id: str, engine: EngineDep, _: PrincipalDep) -> Competency:
    """One competency by id."""
    return engine.resolve_competency(competency_id, field="competency_id")


@router.get("/search")
def search(engine: EngineDep, _: PrincipalDep, q: Annotated[str, Query(min_length=1, max_length=1000)],
           kind: Kind | None = None, top: Annotated[int, Query(ge=1, le=100)] = 10,
           job_family: str | None = None, track: Literal["ic", "management"] | None = None,
           level: Annotated[int | None, Query(ge=1, le=6)] = None) -> list[dict]:
    """Hybrid search over roles, competencies, resources and questions."""
    return [h.as_dict() for h in engine.search(q, kind=kind, top=top, job_family=job_family, track=track, level=level)]


@router.post("/knowledge/reindex")
def reindex(engine: EngineDep, _: AdminDep) -> dict:
    """Re-read the knowledge directory and embed what changed (admin only)."""
    knowledge = engine.reload_knowledge()
    stats = engine.reindex()
    return {"roles": len(knowledge.roles), "added": stats.added, "updated": stats.updated,
            "unchanged": stats.unchanged, "removed": stats.removed, "seconds": round(stats.seconds, 2)}
