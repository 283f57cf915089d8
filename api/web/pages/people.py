"""The manager's team page, a person's page, and closing one's own commitments."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.deps import EngineDep, StoreDep
from api.web.render import page
from api.web.session import WebUserDep, check_csrf, local_path
from coach.engine import Engine
from coach.errors import Forbidden, InvalidInput, NotFound
from coach.followup import review
from coach.overview import person_overview, team
from coach.rhythm.cadence import get_cadence, set_cadence
from coach.store.web import latest_agendas

router = APIRouter(include_in_schema=False)


def role_titles(engine: Engine) -> dict[str, str]:
    """Role id to title, so pages name roles the way people do."""
    return {role_id: role.title for role_id, role in engine.knowledge.roles.items()}


@router.get("/team", response_class=HTMLResponse)
def team_page(request: Request, engine: EngineDep, store: StoreDep, user: WebUserDep) -> Response:
    if user.principal.role == "employee":
        raise Forbidden("the team page is for managers; employees see their own page", field="team")
    return page(request, "team.html", user=user, members=team(store, user.principal), titles=role_titles(engine))


@router.get("/people/{person_id}", response_class=HTMLResponse)
def person_page(request: Request, person_id: str, engine: EngineDep, store: StoreDep, user: WebUserDep) -> Response:
    overview = person_overview(store, user.principal, person_id)
    try:
        cadence = get_cadence(store, user.principal, person_id)
    except NotFound:
        cadence = None
    return page(request, "person.html", user=user, o=overview, own=person_id == user.principal.person_id,
                cadence=cadence,
                agendas=latest_agendas(store, person_id), acts_for=review.acts_for, titles=role_titles(engine))


@router.post("/commitments/{commitment_id}/status")
def commitment_status(commitment_id: str, store: StoreDep, user: WebUserDep,
                      status: Annotated[Literal["open", "done", "dropped"], Form()],
                      comment: Annotated[str, Form(max_length=1000)] = "", csrf: Annotated[str, Form()] = "",
                      next: Annotated[str, Form(max_length=500)] = "/") -> Response:
    """Mark a commitment done (or drop or reopen it) with a comment kept in its history."""
    check_csrf(user, csrf)
    review.edit_commitment(store, user.principal, commitment_id, fields={}, status=status,
                           comment=comment.strip() or None)
    return RedirectResponse(local_path(next), status_code=303)


@router.post("/people/{person_id}/cadence")
def cadence(person_id: str, store: StoreDep, user: WebUserDep, csrf: Annotated[str, Form()] = "",
            kind: Annotated[str, Form(max_length=20)] = "quarterly",
            every_days: Annotated[str, Form(max_length=4)] = "") -> Response:
    """Set the rhythm of career conversations with this person; the next session is computed at once."""
    check_csrf(user, csrf)
    if user.principal.role == "employee":
        raise Forbidden("the rhythm is set by the manager", field="kind")
    if every_days.strip() and not every_days.strip().isdigit():
        raise InvalidInput("every_days: a whole number of days from 14 to 366", field="every_days")
    days = int(every_days) if kind == "custom" and every_days.strip() else None
    set_cadence(store, user.principal, person_id, kind, days)
    return RedirectResponse(f"/people/{person_id}", status_code=303)
