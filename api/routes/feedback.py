"""Feedback: check its language (behaviour, impact, next step, judgements); give it to a report as evidence on the
career map; read a person's evidence."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import BaseModel, ConfigDict, Field

from api.deps import EngineDep, PrincipalDep, StoreDep
from coach.feedback.check import MAX_FEEDBACK_CHARS, FeedbackVerdict, check_feedback
from coach.feedback.evidence import EvidencePublic, FeedbackGiven, evidence_view, give_feedback
from coach.store.store import MAX_ID_CHARS

router = APIRouter(tags=["feedback"])


class FeedbackCheckCreate(BaseModel):
    """A piece of feedback to check."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=MAX_FEEDBACK_CHARS, description="The feedback as the manager wrote it.")


@router.post("/feedback/check")
def check(body: FeedbackCheckCreate, principal: PrincipalDep, engine: EngineDep) -> FeedbackVerdict:
    """Whether the feedback names a behaviour, its impact and a next step; judgements with a rewrite suggestion."""
    return check_feedback(body.text, embedder=engine.embeddings)


class FeedbackCreate(BaseModel):
    """Feedback a manager gives a report: checked for language, then linked to the career map."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=MAX_FEEDBACK_CHARS, description="The feedback as the manager wrote it.")


EmployeeId = Annotated[str, Path(max_length=MAX_ID_CHARS, description="A person's id.")]


@router.post("/employees/{employee_id}/feedback", status_code=201)
def give(employee_id: EmployeeId, body: FeedbackCreate, engine: EngineDep, store: StoreDep,
         principal: PrincipalDep) -> FeedbackGiven:
    """Give feedback (a manager to their reports, an admin to anyone): the language verdict and the evidence links
    stored from it, each shown against the target role of the person's latest development map."""
    return give_feedback(engine, store, principal, employee_id, body.text)


@router.get("/employees/{employee_id}/evidence")
def evidence(employee_id: EmployeeId, engine: EngineDep, store: StoreDep,
             principal: PrincipalDep) -> list[EvidencePublic]:
    """The person's feedback evidence, newest first: quote, competency, level and the map's requirement."""
    return evidence_view(engine, store, principal, employee_id)
