"""Questions as the API and CLI ask for them: the rules arc first, then an optional LLM draft it must pass."""

from __future__ import annotations

from coach.engine import Engine
from coach.questions.arc import QuestionRequest, QuestionSet, suggest_questions


def questions(engine: Engine, request: QuestionRequest) -> QuestionSet:
    """Rules arc; with an LLM configured, its draft replaces the arc only if it passes every check."""
    rules = suggest_questions(engine, request)
    if not engine.llm_enabled:
        return rules
    from coach.questions.drafting import llm_questions  # langchain's message classes load only when an LLM is set

    return llm_questions(engine, engine.llm, request, rules)
