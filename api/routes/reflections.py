"""Reflection before a session: prompts for the employee, their answers (private until shared), sharing one."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, ConfigDict, Field

from api.deps import EngineDep, PrincipalDep, StoreDep
from coach.questions import reflection
from coach.questions.reflection import MAX_ITEMS, MAX_PROMPTS, ReflectionPrompts
from coach.store.rhythm import ReflectionItem, ReflectionRecord

router = APIRouter(tags=["reflections"])
EmployeeId = Annotated[str, Path(max_length=100, description="A person's id.")]


class ReflectionItemCreate(ReflectionItem):
    """One prompt and the employee's answer."""

    model_config = ConfigDict(extra="forbid")


class ReflectionCreate(BaseModel):
    """The employee's answers to the reflection prompts; private unless `share` is true."""

    model_config = ConfigDict(extra="forbid")

    items: list[ReflectionItemCreate] = Field(min_length=1, max_length=MAX_ITEMS,
                                              description=f"1 to {MAX_ITEMS} prompts with answers.")
    share: bool = Field(False, description="Share with the employee's managers at once (default: private).")


@router.get("/employees/{employee_id}/reflection-prompts", response_model=ReflectionPrompts)
def get_reflection_prompts(employee_id: EmployeeId, engine: EngineDep, store: StoreDep, principal: PrincipalDep,
                           count: Annotated[int, Query(ge=2, le=MAX_PROMPTS)] = 5) -> ReflectionPrompts:
    """Reflect and aspire prompts addressed to the employee, from their role, latest map and open commitments."""
    return reflection.reflection_prompts(engine, store, principal, employee_id, count)


@router.post("/employees/{employee_id}/reflections", response_model=ReflectionRecord, status_code=201)
def create_reflection(employee_id: EmployeeId, body: ReflectionCreate, store: StoreDep,
                      principal: PrincipalDep) -> ReflectionRecord:
    """Store the employee's own reflection; only the employee (or an admin) may write it."""
    items = [ReflectionItem.model_validate(i.model_dump()) for i in body.items]
    return reflection.save_reflection(store, principal, employee_id, items, share=body.share)


@router.get("/employees/{employee_id}/reflections", response_model=list[ReflectionRecord])
def list_reflections(employee_id: EmployeeId, store: StoreDep, principal: PrincipalDep) -> list[ReflectionRecord]:
    """The employee's reflections, newest first; their managers see only the shared ones."""
    return reflection.list_reflections(store, principal, employee_id)


@router.post("/reflections/{reflection_id}/share", response_model=ReflectionRecord)
def share_reflection(reflection_id: Annotated[str, Path(max_length=36)], store: StoreDep,
                     principal: PrincipalDep) -> ReflectionRecord:
    """Share the reflection with the employee's managers (their question sets then use its answers)."""
    return reflection.share_reflection(store, principal, reflection_id)
