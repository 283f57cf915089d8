"""Prepare a conversation: pick a type, see the question arc with reasons and sources, swap, add, print or copy."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from api.deps import EngineDep, StoreDep
from api.web.render import page
from api.web.session import WebUser, WebUserDep, check_csrf, visible_person
from coach.engine import Engine
from coach.errors import Forbidden
from coach.questions import agenda
from coach.questions.arc import QuestionRequest
from coach.questions.service import questions, with_open_commitments
from coach.store.records import PersonRecord
from coach.store.store import Store
from coach.store.web import AgendaRecord, get_agenda, save_agenda, update_agenda

router = APIRouter(include_in_schema=False)
TYPES = {"career-check-in": "Career check-in", "quarterly-reflection": "Quarterly reflection",
         "performance-review": "Performance review", "new-in-role": "New in role"}
CsrfField = Annotated[str, Form()]


def _preparer(store: Store, user: WebUser, person_id: str) -> PersonRecord:
    """Agendas are the manager's preparation: managers up the line and admins, not the employee."""
    person = visible_person(store, user, person_id)
    if user.principal.role == "employee":
        raise Forbidden("preparing a conversation is for the manager; you can write your own notes and see "
                        "your development map", field="person_id")
    return person


def _defaults(store: Store, person: PersonRecord) -> dict[str, object]:
    """Start from what is on file: the role, the last map's aspiration and target, the last summary's recap."""
    maps = store.list_maps(person.id)
    last_map = maps[0].payload if maps else {}
    notes = [n for n in store.list_notes(person.id) if n.summary_json]
    recap = " ".join(notes[0].summary_json.get("recap", [])[:3]) if notes else ""
    target = (last_map.get("target_role") or {}).get("id") or ""
    return {"role": person.role_id or "", "aspiration": last_map.get("aspiration", "") or "", "target_role": target,
            "context": recap[:2000], "conversation_type": "career-check-in", "count": 8}


def _form(request: Request, engine, user: WebUser, person: PersonRecord, values: dict, errors: list[str],
          status_code: int = 200) -> HTMLResponse:
    roles = sorted(engine.knowledge.roles.values(), key=lambda r: r.title)
    return page(request, "prepare.html", status_code=status_code, user=user, person=person, values=values,
                errors=errors, roles=roles, types=TYPES)


@router.get("/people/{person_id}/prepare", response_class=HTMLResponse)
def prepare_form(request: Request, person_id: str, engine: EngineDep, store: StoreDep, user: WebUserDep) -> Response:
    person = _preparer(store, user, person_id)
    return _form(request, engine, user, person, _defaults(store, person), [])


@router.post("/people/{person_id}/prepare")
def prepare(request: Request, person_id: str, engine: EngineDep, store: StoreDep, user: WebUserDep,
            csrf: CsrfField = "", role: Annotated[str, Form(max_length=300)] = "",
            aspiration: Annotated[str, Form(max_length=3000)] = "",
            target_role: Annotated[str, Form(max_length=300)] = "",
            context: Annotated[str, Form(max_length=6000)] = "",
            conversation_type: Annotated[str, Form(max_length=40)] = "career-check-in",
            count: Annotated[str, Form(max_length=5)] = "8") -> Response:
    check_csrf(user, csrf)
    person = _preparer(store, user, person_id)
    values = {"role": role, "aspiration": aspiration, "target_role": target_role, "context": context,
              "conversation_type": conversation_type, "count": count}
    try:
        req = QuestionRequest.model_validate({"name": person.name, "role": role, "aspiration": aspiration,
                                              "target_role": target_role or None, "context": context,
                                              "conversation_type": conversation_type, "count": count})
    except ValidationError as exc:
        errors = [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()]
        return _form(request, engine, user, person, values, errors, status_code=422)
    suggested = questions(engine, with_open_commitments(store, req, person_id))
    payload = agenda.new_agenda(suggested, req.model_dump(mode="json", exclude={"open_commitments"}))
    record = save_agenda(store, person_id, user.principal.person_id or "admin", payload)
    return RedirectResponse(f"/agendas/{record.id}", status_code=303)


def _agenda(store: Store, user: WebUser, agenda_id: str) -> tuple[AgendaRecord, PersonRecord]:
    record = get_agenda(store, agenda_id)
    return record, _preparer(store, user, record.employee_id)


def source_names(engine: Engine) -> dict[str, str]:
    """What a question's source ids mean to a manager: role titles, competency names, the question bank."""
    k = engine.knowledge
    names = {qid: "the question bank" for qid in k.questions}
    names.update({rid: f"role: {role.title}" for rid, role in k.roles.items()})
    names.update({cid: f"competency: {c.name}" for cid, c in k.competencies.items()})
    return names


@router.get("/agendas/{agenda_id}", response_class=HTMLResponse)
def agenda_page(request: Request, agenda_id: str, engine: EngineDep, store: StoreDep, user: WebUserDep,
                print: bool = False) -> Response:
    record, person = _agenda(store, user, agenda_id)
    return page(request, "agenda_print.html" if print else "agenda.html", user=user, a=record, person=person,
                sources=source_names(engine),
                text=agenda.agenda_text(record.payload, person.name), types=TYPES,
                alternatives_for=agenda.alternatives_for, stages=agenda.STAGES)


def _edit(store: Store, user: WebUser, agenda_id: str, csrf: str, change) -> Response:
    check_csrf(user, csrf)
    record, _ = _agenda(store, user, agenda_id)
    update_agenda(store, agenda_id, change(record.payload))
    return RedirectResponse(f"/agendas/{agenda_id}#questions", status_code=303)


@router.post("/agendas/{agenda_id}/swap")
def swap_question(agenda_id: str, store: StoreDep, user: WebUserDep, index: Annotated[int, Form()],
                  alternative: Annotated[int, Form()], csrf: CsrfField = "") -> Response:
    return _edit(store, user, agenda_id, csrf, lambda p: agenda.swap(p, index, alternative))


@router.post("/agendas/{agenda_id}/remove")
def remove_question(agenda_id: str, store: StoreDep, user: WebUserDep, index: Annotated[int, Form()],
                    csrf: CsrfField = "") -> Response:
    return _edit(store, user, agenda_id, csrf, lambda p: agenda.remove(p, index))


@router.post("/agendas/{agenda_id}/add")
def add_question(agenda_id: str, store: StoreDep, user: WebUserDep,
                 text: Annotated[str, Form(max_length=agenda.MAX_OWN_CHARS)],
                 stage: Annotated[str, Form(max_length=20)], csrf: CsrfField = "") -> Response:
    return _edit(store, user, agenda_id, csrf, lambda p: agenda.add_own(p, text, stage))
