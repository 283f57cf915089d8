"""After the conversation: paste notes, review the draft summary, edit, add, reject and confirm commitments."""

from __future__ import annotations

import secrets
from datetime import date
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from api.deps import EngineDep, SettingsDep, StoreDep
from api.web.render import page
from api.web.session import WebUser, WebUserDep, check_csrf, visible_person
from coach.errors import CoachError, InvalidInput
from coach.followup import review
from coach.followup.refinement import summarise_with_refinement
from coach.followup.summaries import Participant
from coach.store.records import PersonRecord
from coach.store.store import Store

router = APIRouter(include_in_schema=False)
CsrfField = Annotated[str, Form()]
AUTHORS = {"manager": "The manager", "employee": "The employee", "shared": "Both of us (shared notes)"}



def _manager_name(store: Store, user: WebUser, person: PersonRecord) -> str:
    if user.principal.role == "manager" and user.person and user.person.id != person.id:
        return user.person.name
    manager = store.get_person(person.manager_id) if person.manager_id else None
    return manager.name if manager else ""


def _notes_form(request: Request, user: WebUser, person: PersonRecord, values: dict[str, Any], errors: list[str],
                settings, status_code: int = 200) -> HTMLResponse:
    return page(request, "notes_new.html", status_code=status_code, user=user, person=person, values=values,
                errors=errors, authors=AUTHORS, max_chars=settings.max_notes_chars)


@router.get("/people/{person_id}/notes/new", response_class=HTMLResponse)
def notes_form(request: Request, person_id: str, store: StoreDep, settings: SettingsDep, user: WebUserDep) -> Response:
    person = visible_person(store, user, person_id)
    own = user.principal.person_id == person.id
    values = {"meeting_date": date.today().isoformat(), "manager": _manager_name(store, user, person),
              "employee": person.name, "others": "", "notes": "", "author": "employee" if own else "manager",
              "key": secrets.token_urlsafe(16)}
    return _notes_form(request, user, person, values, [], settings)


def _participants(manager: str, employee: str, others: str) -> list[Participant]:
    people = [Participant(name=employee.strip(), role="employee")]
    if manager.strip():
        people.insert(0, Participant(name=manager.strip(), role="manager"))
    people += [Participant(name=line.strip(), role="other") for line in others.splitlines() if line.strip()]
    return people


@router.post("/people/{person_id}/notes")
def file_notes(request: Request, person_id: str, engine: EngineDep, store: StoreDep, settings: SettingsDep,
               user: WebUserDep, csrf: CsrfField = "", notes: Annotated[str, Form(max_length=1_000_000)] = "",
               meeting_date: Annotated[str, Form(max_length=20)] = "",
               manager: Annotated[str, Form(max_length=200)] = "", employee: Annotated[str, Form(max_length=200)] = "",
               others: Annotated[str, Form(max_length=2000)] = "", author: Annotated[str, Form(max_length=20)] = "manager",
               key: Annotated[str, Form(max_length=100)] = "") -> Response:
    check_csrf(user, csrf)
    person = visible_person(store, user, person_id)
    values = {"meeting_date": meeting_date, "manager": manager, "employee": employee, "others": others, "notes": notes,
              "author": author, "key": key}
    try:
        if author not in AUTHORS:
            raise InvalidInput(f"author: must be one of {', '.join(AUTHORS)}", field="author")
        try:
            day = date.fromisoformat(meeting_date)
        except ValueError as exc:
            raise InvalidInput("meeting_date: a date as YYYY-MM-DD", field="meeting_date") from exc
        try:
            participants = _participants(manager, employee, others)
        except ValidationError as exc:
            first = exc.errors()[0]
            raise InvalidInput(f"participants: {first['msg']} (names of 1 to 120 characters)",
                               field="participants") from exc
        stored = summarise_with_refinement(engine, store, employee_id=person_id,
                                           author_id=user.principal.person_id or "admin", notes=notes,
                                           meeting_date=day, participants=participants,
                                           idempotency_key=key or None, author=author)  # type: ignore[arg-type]
    except CoachError as exc:
        if exc.status_code not in (413, 422):
            raise
        # Nothing typed is lost: the form comes back with the notes and the reason.
        return _notes_form(request, user, person, values, [exc.message], settings, status_code=exc.status_code)
    return RedirectResponse(f"/notes/{stored.note_id}", status_code=303)


def _mailto(view: dict[str, Any], store: Store) -> str:
    summary = view.get("summary") or {}
    person = store.get_person(view["note"]["employee_id"])
    to = person.email if person and person.email else ""
    subject = f"Follow-up of our conversation on {view['note']['meeting_date']}"
    return f"mailto:{quote(to)}?subject={quote(subject)}&body={quote(summary.get('email', '')[:1800])}"


@router.get("/notes/{note_id}", response_class=HTMLResponse)
def note_page(request: Request, note_id: str, store: StoreDep, user: WebUserDep) -> Response:
    view = review.note_view(store, user.principal, note_id)
    person = store.get_person(view["note"]["employee_id"])
    return page(request, "note.html", user=user, v=view, person=person, mailto=_mailto(view, store),
                acts_for=review.acts_for, model=review.model_suggestions(store, user.principal, note_id))


def _back(note_id: str) -> Response:
    return RedirectResponse(f"/notes/{note_id}#commitments", status_code=303)


def _optional_date(value: str, field: str) -> date | None:
    if not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError as exc:
        raise InvalidInput(f"{field}: a date as YYYY-MM-DD, or empty", field=field) from exc


@router.post("/notes/{note_id}/commitments")
def add_commitment(note_id: str, store: StoreDep, user: WebUserDep, csrf: CsrfField = "",
                   action: Annotated[str, Form(min_length=1, max_length=2000)] = "",
                   owner: Annotated[str, Form(max_length=200)] = "", due: Annotated[str, Form(max_length=20)] = "",
                   success_indicator: Annotated[str, Form(max_length=2000)] = "") -> Response:
    check_csrf(user, csrf)
    if not action.strip():
        raise InvalidInput("action: say what will be done", field="action")
    item = {"owner": owner or None, "action": action.strip(), "due": _optional_date(due, "due"),
            "success_indicator": success_indicator.strip() or None}
    review.add_commitment(store, user.principal, note_id, item, "added in the web app")
    return _back(note_id)


@router.post("/commitments/{commitment_id}/edit")
def edit_commitment(commitment_id: str, store: StoreDep, user: WebUserDep, csrf: CsrfField = "",
                    action: Annotated[str, Form(min_length=1, max_length=2000)] = "",
                    owner: Annotated[str, Form(max_length=200)] = "", due: Annotated[str, Form(max_length=20)] = "",
                    success_indicator: Annotated[str, Form(max_length=2000)] = "") -> Response:
    check_csrf(user, csrf)
    current = store.get_commitment(commitment_id)
    fields = {"action": action.strip(), "owner": owner or None, "due": _optional_date(due, "due"),
              "success_indicator": success_indicator.strip() or None}
    changed = {k: v for k, v in fields.items() if v != getattr(current, k)}
    if changed:
        review.edit_commitment(store, user.principal, commitment_id, fields=changed)
    return _back(current.note_id or "")


@router.post("/commitments/{commitment_id}/review")
def review_commitment(commitment_id: str, store: StoreDep, user: WebUserDep,
                      decision: Annotated[str, Form(max_length=10)], csrf: CsrfField = "") -> Response:
    check_csrf(user, csrf)
    if decision == "confirm":
        done = review.confirm_commitment(store, user.principal, commitment_id)
    elif decision == "reject":
        done = review.reject_commitment(store, user.principal, commitment_id)
    else:
        raise InvalidInput("decision: must be confirm or reject", field="decision")
    return _back(done.note_id or "")


@router.post("/notes/{note_id}/confirm")
def confirm_summary(note_id: str, engine: EngineDep, store: StoreDep, user: WebUserDep,
                    csrf: CsrfField = "") -> Response:
    check_csrf(user, csrf)
    review.confirm_and_link(engine, store, user.principal, note_id)
    return _back(note_id)
