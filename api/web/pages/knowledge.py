"""The organisation's knowledge for admins: competencies, roles and resources, and re-indexing with progress."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.deps import EngineDep
from api.web.render import page
from api.web.session import WebUser, WebUserDep, check_csrf
from coach.errors import Forbidden, NotFound
from coach.retrieval.background import BackgroundReindex

router = APIRouter(include_in_schema=False)


def _admin(user: WebUser) -> None:
    if user.principal.role != "admin":
        raise Forbidden("the knowledge pages are for admins", field="knowledge")


def _runs(request: Request) -> BackgroundReindex:
    return request.app.state.reindex_runs


@router.get("/knowledge", response_class=HTMLResponse)
def knowledge_page(request: Request, engine: EngineDep, user: WebUserDep, q: str = "") -> Response:
    _admin(user)
    k = engine.knowledge
    hits = engine.search(q[:200], top=10) if q.strip() else []
    roles = sorted(k.roles.values(), key=lambda r: (r.job_family, r.level, r.title))
    return page(request, "knowledge.html", user=user, roles=roles,
                competencies=sorted(k.competencies.values(), key=lambda c: c.name),
                resources=sorted(k.resources.values(), key=lambda r: r.title), q=q[:200], hits=hits,
                run=_runs(request).state())


@router.get("/knowledge/roles/{role_id}", response_class=HTMLResponse)
def role_page(request: Request, role_id: str, engine: EngineDep, user: WebUserDep) -> Response:
    _admin(user)
    role = engine.knowledge.roles.get(role_id)
    if role is None:
        raise NotFound(f"role_id: no role '{role_id}'", field="role_id")
    return page(request, "role.html", user=user, role=role, k=engine.knowledge)


@router.get("/knowledge/competencies/{competency_id}", response_class=HTMLResponse)
def competency_page(request: Request, competency_id: str, engine: EngineDep, user: WebUserDep) -> Response:
    _admin(user)
    competency = engine.knowledge.competencies.get(competency_id)
    if competency is None:
        raise NotFound(f"competency_id: no competency '{competency_id}'", field="competency_id")
    return page(request, "competency.html", user=user, c=competency)


@router.post("/knowledge/reindex")
def reindex(request: Request, engine: EngineDep, user: WebUserDep, csrf: Annotated[str, Form()] = "") -> Response:
    check_csrf(user, csrf)
    _admin(user)
    _runs(request).start(engine)
    return RedirectResponse("/knowledge/reindex", status_code=303)


@router.get("/knowledge/reindex", response_class=HTMLResponse)
def reindex_status(request: Request, user: WebUserDep) -> Response:
    _admin(user)
    return page(request, "reindex.html", user=user, run=_runs(request).state())
