"""Reflection before a session: prompts for the employee themself, their answers kept private until they share them.

The prompts are the question engine's reflect and aspire stages for the employee's role, latest development map and
own open commitments. The bank is written to "you", so it speaks to the employee as it is, with no name (a name
would make it speak about them); the one phrase in the manager's voice ("our last conversation") is reworded.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from coach.engine import Engine
from coach.errors import Forbidden, InvalidInput, NotFound
from coach.followup.service import check_text
from coach.growth.paths import RoleRef
from coach.questions.arc import OpenCommitment, QuestionRequest, SuggestedQuestion, suggest_questions
from coach.store import rhythm as rows
from coach.store.auth import Principal, require_access
from coach.store.records import MapRecord, PersonRecord
from coach.store.rhythm import ReflectionItem, ReflectionRecord
from coach.store.store import Store

REFLECTION_STAGES = ("reflect", "aspire")
# The bank speaks as the manager in a few places ("our last conversation"); the employee reads it alone.
_EMPLOYEE_VOICE = [(re.compile(r"\bour last conversation\b"), "your last conversation with your manager")]
MAX_PROMPTS = 8  # the arc of 8 gives 3 reflect and 1 aspire question plus 3 alternatives each
MAX_ITEMS = 20


class ReflectionPrompt(BaseModel):
    """One prompt for the employee to think about before the session."""

    prompt_id: str = Field(description="The question-bank id it comes from.")
    stage: Literal["reflect", "aspire"]
    text: str = Field(description="The prompt, addressed to the employee.")
    purpose: str = Field(description="Why it is asked.")
    followups: list[str] = Field(default_factory=list, description="Further prompts to go deeper, if wanted.")
    sources: list[str] = Field(description="Knowledge ids the prompt draws on.")
    personalised_with: list[str] = Field(default_factory=list, description="Personal details the text uses.")


class ReflectionPrompts(BaseModel):
    """Prompts for the employee's reflection, and what they were personalised from."""

    employee_id: str
    prompts: list[ReflectionPrompt]
    current_role: RoleRef
    target_role: RoleRef | None = Field(None, description="From the latest development map, if there is one.")
    map_id: str | None = Field(None, description="The development map the prompts draw on.")
    open_commitments: int = Field(description="How many of the employee's own open commitments the prompts could "
                                              "follow up.")


def _own(owner_role: str | None, owner: str | None, employee_name: str) -> bool:
    """Whether the commitment is the employee's own (by its role, else by the owner's first name)."""
    if owner_role:
        return owner_role == "employee"
    first, mine = (owner or "").split()[:1], employee_name.split()[:1]
    return bool(first and mine and first[0].lower() == mine[0].lower())


def _request(store: Store, person: PersonRecord, latest: MapRecord | None, count: int) -> QuestionRequest:
    # Only the employee's own commitments: the bank asks "what would you approach differently?", which is theirs
    # to answer; what the manager committed to is the manager's to report on in the session.
    commitments = [OpenCommitment(action=c.action[:500], due=c.due, overdue=c.overdue, owner=c.owner,
                                  owner_role="employee")
                   for c in store.list_commitments(person.id, status="open", today=date.today(), limit=50)
                   if _own(c.owner_role, c.owner, person.name)]
    target, horizon, ratings = None, None, None
    if latest is not None:
        payload = latest.payload
        target = (payload.get("target_role") or {}).get("id")
        horizon = payload.get("horizon_months")
        # The map's current levels, so the competency slots name the map's own gaps.
        ratings = {g["competency_id"]: g["current"] for g in payload.get("gaps") or []
                   if isinstance(g.get("current"), int) and 1 <= g["current"] <= 5} or None
    # No name: a name would make the bank's wording speak about the employee instead of to them.
    return QuestionRequest(name="", role=person.role_id or "", target_role=target, horizon_months=horizon,
                           ratings=ratings, open_commitments=commitments, count=max(count, 8))


def _voice(text: str) -> str:
    for pattern, wording in _EMPLOYEE_VOICE:
        text = pattern.sub(wording, text)
    return text


def _prompt(q: SuggestedQuestion) -> ReflectionPrompt:
    return ReflectionPrompt(prompt_id=q.sources[0], stage=q.stage, text=_voice(q.text),  # type: ignore[arg-type]
                            purpose=q.purpose, followups=[_voice(f) for f in q.followups], sources=q.sources,
                            personalised_with=q.personalised_with)


def _choose(pool: list[SuggestedQuestion], count: int) -> list[SuggestedQuestion]:
    """Half reflect (rounded up), half aspire, best first; two prompts on one competency only when nothing else is left.

    An alternative is filled with the same competency as the chosen question of its stage, and "How have you used
    X?" next to "Where has X come up?" reads as the same prompt twice.
    """
    half = (count + 1) // 2
    quota = {"reflect": half, "aspire": count - half}
    picked: list[SuggestedQuestion] = []
    seen: set[tuple[str, ...]] = set()
    for q in pool:
        key = (q.stage, *q.sources[1:]) if "competency" in q.personalised_with else None
        if quota[q.stage] and (key is None or key not in seen):
            picked.append(q)
            quota[q.stage] -= 1
            seen.add(key or ())
    for within_quota in (True, False):  # then repeats within each stage's share, then the other stage fills in
        for q in pool:
            if len(picked) < count and q not in picked and (quota[q.stage] > 0 or not within_quota):
                picked.append(q)
                quota[q.stage] -= 1
    return sorted(picked, key=lambda q: (REFLECTION_STAGES.index(q.stage), pool.index(q)))


def reflection_prompts(engine: Engine, store: Store, principal: Principal, employee_id: str,
                       count: int = 5) -> ReflectionPrompts:
    """Reflect and aspire prompts for the employee, personal to their role, latest map and open commitments."""
    require_access(principal, employee_id)
    if not 2 <= count <= MAX_PROMPTS:
        raise InvalidInput(f"count: must be 2 to {MAX_PROMPTS}, got {count}", field="count")
    person = store.get_person(employee_id)
    if person is None:
        raise NotFound(f"employee_id: no person '{employee_id}' in the store", field="employee_id")
    if not person.role_id:
        raise InvalidInput(f"employee_id: {employee_id} has no role on file; set `role` in the people file",
                           field="employee_id")
    maps = store.list_maps(employee_id)
    latest = maps[0] if maps else None
    request = _request(store, person, latest, count)
    arc = suggest_questions(engine, request)
    # The chosen questions of each stage first, then its alternatives; reflecting comes before aspiring.
    pool = [q for q in [*arc.questions, *arc.alternatives] if q.stage in REFLECTION_STAGES]
    picked = _choose(pool, count)
    return ReflectionPrompts(employee_id=employee_id, prompts=[_prompt(q) for q in picked],
                             current_role=arc.current_role, target_role=arc.target_role,
                             map_id=latest.id if latest else None, open_commitments=len(request.open_commitments))


def _require_self(principal: Principal, employee_id: str, what: str) -> None:
    """Forbidden unless the caller is the employee themself (or an admin)."""
    require_access(principal, employee_id)
    if principal.role != "admin" and principal.person_id != employee_id:
        raise Forbidden(f"only {employee_id} may {what} their own reflection", field="employee_id")


def save_reflection(store: Store, principal: Principal, employee_id: str, items: list[ReflectionItem], *,
                    share: bool = False) -> ReflectionRecord:
    """Store the employee's answers as their own reflection, private unless `share`."""
    _require_self(principal, employee_id, "write")
    if not 1 <= len(items) <= MAX_ITEMS:
        raise InvalidInput(f"items: 1 to {MAX_ITEMS} prompts with answers, got {len(items)}", field="items")
    for index, item in enumerate(items):
        check_text(item.prompt, f"items.{index}.prompt")
        check_text(item.answer, f"items.{index}.answer")
    if not any(item.answer.strip() for item in items):
        raise InvalidInput("items: every answer is empty; answer at least one prompt", field="items")
    return rows.save_reflection(store, employee_id, principal.person_id or "admin", items, shared=share)


def list_reflections(store: Store, principal: Principal, employee_id: str) -> list[ReflectionRecord]:
    """The employee's reflections, newest first: all of them for the employee and admins, shared ones for managers."""
    require_access(principal, employee_id)
    own = principal.role == "admin" or principal.person_id == employee_id
    return rows.list_reflections(store, employee_id, shared_only=not own)


def share_reflection(store: Store, principal: Principal, reflection_id: str) -> ReflectionRecord:
    """Share a reflection with the employee's managers; only the employee (or an admin) may."""
    record = rows.get_reflection(store, reflection_id)
    _require_self(principal, record.employee_id, "share")
    return rows.share_reflection(store, reflection_id)
