"""Feedback: check the language of a piece of feedback (behaviour, impact, next step, judgements)."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from api.deps import PrincipalDep
from coach.feedback.check import MAX_FEEDBACK_CHARS, FeedbackVerdict, check_feedback

router = APIRouter(tags=["feedback"])


class FeedbackCheckCreate(BaseModel):
    """A piece of feedback to check."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=MAX_FEEDBACK_CHARS, description="The feedback as the manager wrote it.")


@router.post("/feedback/check")
def check(body: FeedbackCheckCreate, principal: PrincipalDep) -> FeedbackVerdict:
    """Whether the feedback names a behaviour, its impact and a next step; judgements with a rewrite suggestion."""
    return check_feedback(body.text)
