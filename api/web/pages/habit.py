"""Between conversations in the web app: the employee's reflection before a session (private until shared),
opportunities inside the organisation with interest, mentors beside the development map, and feedback checked
for its language and kept as evidence on the career map."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.deps import EngineDep, StoreDep
from api.web.render import page
from api.web.session import WebUserDep, check_csrf, local_path, visible_person
from coach.errors import InvalidInput
from coach.feedback.check import MAX_FEEDBACK_CHARS, check_feedback
from coach.feedback.evidence import evidence_view, give_feedback, may_give
from coach.growth.opportunities import express_interest, opportunities_for, withdraw
from coach.questions.reflection import (
    list_reflections,
    reflection_prompts,
    save_reflection,
    share_reflection,
)
from coach.store.rhythm import ReflectionItem

router = APIRouter(include_in_schema=False)
CsrfField = Annotated[str, Form()]
MAX_FORM_PROMPTS = 8


@router.get("/people/{person_id}/reflect", response_class=HTMLResponse)
def reflect_page(request: Request, person_id: str, engine: EngineDep, store: StoreDep, user: WebUserDep) -> Response:
    """The employee answers prompts before the session; their managers see only what they share."""
    person = visible_person(store, user, person_id)
    own = user.principal.person_id == person_id
    prompts = reflection_prompts(engine, store, user.principal, person_id, count=5) if own else None
    return page(request, "reflect.html", user=user, person=person, own=own, prompts=prompts,
                reflections=list_reflections(store, user.principal, person_id))


@router.post("/people/{person_id}/reflect")
async def save_reflection_form(request: Request, person_id: str, store: StoreDep, user: WebUserDep) -> Response:
    form = await request.form()
    check_csrf(user, str(form.get("csrf") or ""))
    items = []
    for i in range(MAX_FORM_PROMPTS):
        prompt = str(form.get(f"prompt_{i}") or "")
        if not prompt:
            continue
        answer = str(form.get(f"answer_{i}") or "")
        if len(answer) > 4000:
            raise InvalidInput(f"answer_{i}: at most 4,000 characters", field=f"answer_{i}")
        items.append(ReflectionItem(prompt_id=str(form.get(f"prompt_id_{i}") or "")[:64] or None,
                                    stage=str(form.get(f"stage_{i}") or "")[:20] or None, prompt=prompt[:500],
                                    answer=answer))
    save_reflection(store, user.principal, person_id, items, share=form.get("share") == "yes")
    return RedirectResponse(f"/people/{person_id}/reflect#saved", status_code=303)


@router.post("/reflections/{reflection_id}/share")
def share(reflection_id: str, store: StoreDep, user: WebUserDep, csrf: CsrfField = "") -> Response:
    check_csrf(user, csrf)
    record = share_reflection(store, user.principal, reflection_id)
    return RedirectResponse(f"/people/{record.employee_id}/reflect#saved", status_code=303)


@router.get("/people/{person_id}/opportunities", response_class=HTMLResponse)
def opportunities_page(request: Request, person_id: str, engine: EngineDep, store: StoreDep,
                       user: WebUserDep) -> Response:
    """Projects, openings and stretch assignments that fit the person's map, with why; interest for the employee."""
    person = visible_person(store, user, person_id)
    # Matching needs a development map (or an aspiration); without one the page says how to get there.
    has_map = bool(store.list_maps(person_id))
    return page(request, "opportunities.html", user=user, person=person,
                own=user.principal.person_id == person_id, has_map=has_map,
                matches=opportunities_for(engine, store, user.principal, person_id) if has_map else [])


@router.post("/opportunities/{opportunity_id}/interest")
def interest(opportunity_id: str, engine: EngineDep, store: StoreDep, user: WebUserDep, csrf: CsrfField = "",
             note: Annotated[str, Form(max_length=1000)] = "", withdrawn: Annotated[str, Form(max_length=3)] = "",
             next: Annotated[str, Form(max_length=500)] = "/") -> Response:
    check_csrf(user, csrf)
    if withdrawn == "yes":
        withdraw(store, user.principal, opportunity_id)
    else:
        express_interest(engine, store, user.principal, opportunity_id, note=note.strip() or None)
    return RedirectResponse(local_path(next), status_code=303)


@router.get("/people/{person_id}/feedback", response_class=HTMLResponse)
def feedback_page(request: Request, person_id: str, engine: EngineDep, store: StoreDep, user: WebUserDep) -> Response:
    """Feedback as evidence on the career map: the person's links, and for their manager a form that checks the
    language (behaviour, impact, next step, judgements) before giving it."""
    person = visible_person(store, user, person_id)
    return page(request, "feedback.html", user=user, person=person, can_give=may_give(user.principal, person_id),
                evidence=evidence_view(engine, store, user.principal, person_id), text="", verdict=None, given=None)


@router.post("/people/{person_id}/feedback", response_class=HTMLResponse)
def feedback_form(request: Request, person_id: str, engine: EngineDep, store: StoreDep, user: WebUserDep,
                  csrf: CsrfField = "", text: Annotated[str, Form()] = "",
                  action: Annotated[str, Form(max_length=10)] = "check") -> Response:
    """'check' shows the language check and keeps the text for editing; 'give' stores the links and shows them."""
    check_csrf(user, csrf)
    person = visible_person(store, user, person_id)
    if not text.strip():
        raise InvalidInput("text: write the feedback first", field="text")
    if len(text) > MAX_FEEDBACK_CHARS:  # before any work, with the API's limit
        raise InvalidInput(f"text: at most {MAX_FEEDBACK_CHARS:,} characters (got {len(text):,})", field="text")
    given = None
    if action == "give":
        given = give_feedback(engine, store, user.principal, person_id, text)
        verdict = given.verdict
    else:
        verdict = check_feedback(text, embedder=engine.embeddings)
    return page(request, "feedback.html", user=user, person=person, can_give=may_give(user.principal, person_id),
                evidence=evidence_view(engine, store, user.principal, person_id),
                text="" if given else text, verdict=verdict, given=given)
