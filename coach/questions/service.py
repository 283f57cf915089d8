"""Questions as the API and CLI ask for them: the rules arc first, then an optional LLM draft it must pass."""

from __future__ import annotations

from datetime import date

from coach.engine import Engine
from coach.errors import KnowledgeIncomplete
from coach.questions.arc import MAX_TEXT, OpenCommitment, QuestionRequest, QuestionSet, suggest_questions
from coach.store.rhythm import latest_shared_reflection
from coach.store.store import Store

OWNER_ROLES = ("employee", "manager", "other")


def questions(engine: Engine, request: QuestionRequest) -> QuestionSet:
    """Rules arc; with an LLM configured, its draft replaces the arc only if it passes every check."""
    if not engine.knowledge.questions:
        # An imported ladder brings roles and competencies but no question bank: say so instead of 0 questions.
        raise KnowledgeIncomplete(
            "questions: the knowledge has no question bank (questions.yaml in the knowledge directory), so there is "
            "nothing to choose questions from; add one (knowledge/questions.yaml is an example) and run `coach index`",
            field="questions")
    rules = suggest_questions(engine, request)
    if not engine.llm_enabled:
        return rules
    from coach.questions.drafting import llm_questions  # langchain's message classes load only when an LLM is set

    return llm_questions(engine, engine.llm, request, rules)


def with_open_commitments(store: Store, request: QuestionRequest, employee_id: str) -> QuestionRequest:
    """The request with the employee's tracked open commitments added as context to follow up."""
    stored = store.list_commitments(employee_id, status="open", today=date.today())
    extra = [OpenCommitment(action=c.action, due=c.due, overdue=c.overdue, owner=c.owner,
                            owner_role=c.owner_role if c.owner_role in OWNER_ROLES else None) for c in stored]
    return request.model_copy(update={"open_commitments": [*request.open_commitments, *extra]})


def with_shared_reflection(store: Store, request: QuestionRequest, employee_id: str) -> QuestionRequest:
    """The request with the answers of the employee's latest shared reflection added to its context.

    Only what the employee shared is used; the answers go after the caller's own context, cut to the context limit.
    """
    reflection = latest_shared_reflection(store, employee_id)
    answers = [" ".join(i.answer.split()) for i in reflection.items if i.answer.strip()] if reflection else []
    if not answers:
        return request
    joined = "\n".join(a if a[-1] in ".!?" else a + "." for a in answers)
    context = f"{request.context.rstrip()}\n\n{joined}" if request.context.strip() else joined
    return request.model_copy(update={"context": context[:MAX_TEXT].rstrip()})
