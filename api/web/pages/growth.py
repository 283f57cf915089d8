"""Development maps (gaps chart, action timeline, progress per action) and career paths (a picture of them)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.deps import EngineDep, StoreDep
from api.web import charts
from api.web.render import page
from api.web.session import WebUser, WebUserDep, check_csrf, visible_person
from coach.errors import CoachError, InvalidInput
from coach.growth.mentors import mentors_for
from coach.growth.paths import explore_paths
from coach.growth.service import development_map
from coach.store.auth import require_access
from coach.store.records import PersonRecord

router = APIRouter(include_in_schema=False)
CsrfField = Annotated[str, Form()]
PROGRESS = {"not_started": "Not started", "in_progress": "In progress", "done": "Done", "dropped": "Dropped"}



def _map_form(request: Request, engine, user: WebUser, person: PersonRecord, values: dict, errors: list[str],
              status_code: int = 200) -> HTMLResponse:
    roles = sorted(engine.knowledge.roles.values(), key=lambda r: r.title)
    return page(request, "map_new.html", status_code=status_code, user=user, person=person, values=values,
                errors=errors, roles=roles)


@router.get("/people/{person_id}/map")
def person_map(request: Request, person_id: str, engine: EngineDep, store: StoreDep, user: WebUserDep,
               new: bool = False) -> Response:
    """The latest map, or the form to make one."""
    person = visible_person(store, user, person_id)
    maps = store.list_maps(person_id)
    if maps and not new:
        return RedirectResponse(f"/maps/{maps[0].id}", status_code=303)
    last = maps[0].payload if maps else {}
    values = {"role": person.role_id or "", "aspiration": last.get("aspiration", ""),
              "target_role": (last.get("target_role") or {}).get("id", ""), "horizon_months": 12}
    return _map_form(request, engine, user, person, values, [])


@router.post("/people/{person_id}/map")
def make_map(request: Request, person_id: str, engine: EngineDep, store: StoreDep, user: WebUserDep,
             csrf: CsrfField = "", role: Annotated[str, Form(max_length=200)] = "",
             aspiration: Annotated[str, Form(max_length=2000)] = "",
             target_role: Annotated[str, Form(max_length=200)] = "",
             horizon_months: Annotated[str, Form(max_length=4)] = "12") -> Response:
    check_csrf(user, csrf)
    person = visible_person(store, user, person_id)
    values = {"role": role, "aspiration": aspiration, "target_role": target_role, "horizon_months": horizon_months}
    try:
        if not horizon_months.isdigit() or not 1 <= int(horizon_months) <= 60:
            raise InvalidInput("horizon_months: a whole number of months from 1 to 60", field="horizon_months")
        if not role.strip():
            raise InvalidInput("role: the current role is needed", field="role")
        dev_map = development_map(engine, role.strip(), aspiration=aspiration, target_role=target_role or None,
                                  horizon_months=int(horizon_months), employee=person_id)
    except CoachError as exc:
        if exc.status_code != 422:
            raise
        return _map_form(request, engine, user, person, values, [exc.message], status_code=422)
    record = store.save_map(person_id, user.principal.person_id or "admin", dev_map.model_dump(mode="json"))
    return RedirectResponse(f"/maps/{record.id}", status_code=303)


@router.get("/maps/{map_id}", response_class=HTMLResponse)
def map_page(request: Request, map_id: str, engine: EngineDep, store: StoreDep, user: WebUserDep) -> Response:
    record = store.get_map(map_id)
    person = visible_person(store, user, record.employee_id)
    m = record.payload
    progress = store.action_progress(map_id)
    statuses = {i: p.status for i, p in progress.items()}
    return page(request, "map.html", user=user, record=record, m=m, person=person, progress=progress,
                mentors=mentors_for(engine, store, user.principal, record.employee_id, map_id),
                labels=PROGRESS, gap_chart=charts.gap_chart(m["gaps"], m["target_role"]["title"]),
                timeline=charts.timeline(m["actions"], m["check_ins"], date.fromisoformat(m["start"]),
                                         date.fromisoformat(m["end"]), statuses))


@router.post("/maps/{map_id}/actions/{index}")
def action_progress(map_id: str, index: int, store: StoreDep, user: WebUserDep, csrf: CsrfField = "",
                    status: Annotated[str, Form(max_length=20)] = "in_progress",
                    evidence: Annotated[str, Form(max_length=2000)] = "") -> Response:
    check_csrf(user, csrf)
    record = store.get_map(map_id)
    require_access(user.principal, record.employee_id)
    if status not in PROGRESS:
        raise InvalidInput(f"status: must be one of {', '.join(PROGRESS)}", field="status")
    store.set_action_progress(map_id, index, status, evidence.strip() or None, user.principal.person_id)
    return RedirectResponse(f"/maps/{map_id}#action-{index}", status_code=303)


@router.get("/people/{person_id}/paths", response_class=HTMLResponse)
def paths_page(request: Request, person_id: str, engine: EngineDep, store: StoreDep, user: WebUserDep,
               interests: str = "") -> Response:
    person = visible_person(store, user, person_id)
    interests = interests[:500]
    if not person.role_id:
        raise InvalidInput("role: this person has no role on file, so there are no paths to draw; add their role "
                           "to the people file", field="role")
    exploration = explore_paths(engine, person.role_id, interests).model_dump(mode="json")
    return page(request, "paths.html", user=user, person=person, x=exploration, interests=interests,
                picture=charts.path_map(exploration["current_role"]["title"], exploration["paths"]))
