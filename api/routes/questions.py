"""Question suggestions for a career conversation."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import Field

from api.deps import EngineDep, PrincipalDep, StoreDep
from coach.questions.arc import QuestionRequest, QuestionSet
from coach.questions.service import questions as suggest, with_open_commitments, with_shared_reflection
from coach.store.auth import require_access

router = APIRouter(tags=["questions"])


class QuestionsCreate(QuestionRequest):
    """A question request; with `employee_id`, the employee's open commitments become context."""

    employee_id: str | None = Field(None, max_length=100, description="Stored employee whose commitments to follow up.")


@router.post("/questions", response_model=QuestionSet)
def create_questions(body: QuestionsCreate, engine: EngineDep, store: StoreDep, principal: PrincipalDep) -> QuestionSet:
    """5-15 open, non-leading questions in a conversation arc, personalised and grounded in the knowledge."""
    request = QuestionRequest.model_validate(body.model_dump(exclude={"employee_id"}))
    if body.employee_id:
        require_access(principal, body.employee_id)
        request = with_open_commitments(store, request, body.employee_id)
        request = with_shared_reflection(store, request, body.employee_id)
    return suggest(engine, request)
