"""Liveness and readiness."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.deps import EngineDep, StoreDep
from coach.errors import CoachError

router = APIRouter(tags=["health"])


@router.get("/health")
def health() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


@router.get("/ready")
def ready(engine: EngineDep, store: StoreDep) -> JSONResponse:
    """The index can answer searches and the database answers; 503 with the failing check otherwise."""
    checks: dict[str, str] = {}
    try:
        checks["chroma"] = engine.index_status()
    except CoachError as exc:
        checks["chroma"] = exc.message
    try:
        store.ping()
        checks["database"] = "ok"
    except CoachError as exc:
        checks["database"] = exc.message
    ok = all(v.startswith("ok") for v in checks.values())
    return JSONResponse({"status": "ready" if ok else "unavailable", "checks": checks}, status_code=200 if ok else 503)
