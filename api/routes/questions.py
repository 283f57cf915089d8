"""Question suggestions for a career conversation."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter
from pydantic import Field

from api.deps import EngineDep, PrincipalDep, StoreDep
from coach.questions.service import questions as suggest
from coach.questions.arc import OpenCommitment, QuestionRequest, QuestionSet
from coach.store.auth import require_access

router = APIRouter(tags=["questions"])


class QuestionsCreate(QuestionRequest):
    """A question request; with `employee_id`, the employee's open commitments become context."""

    employee_id: str | None = Field(None, max_length=100, description="Stored employee whose commitments to follow up.")


ROLES = ("employee", "manager", "other")


@router.post("/questions", response_model=QuestionSet)
def create_questions(body: QuestionsCreate, engine: EngineDep, store: StoreDep, principal: PrincipalDep) -> QuestionSet:
    """5-15 open, non-leading questions in a conversation arc, personalised and grounded in the knowledge."""
    request = QuestionRequest.model_validate(body.model_dump(exclude={"employee_id"}))
    if body.employee_id:
        require_access(principal, body.employee_id)
        stored = store.list_commitments(body.employee_id, status="open", today=date.today())
        request.open_commitments = [*request.open_commitments,
                                    *(OpenCommitment(action=c.action, due=c.due, overdue=c.overdue, owner=c.owner,
                                                     owner_role=c.owner_role if c.owner_role in ROLES else None)
                                      for c in stored)]
    return suggest(engine, request)
