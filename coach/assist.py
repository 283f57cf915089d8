"""The pipelines as the API and CLI call them: the rules engine first, then an optional LLM draft it must pass."""

from __future__ import annotations

from datetime import date

from coach.development import DevelopmentMap, build_development_map
from coach.engine import Engine
from coach.questions import QuestionRequest, QuestionSet, suggest_questions
from coach.summaries import FollowUpSummary, Participant, draft_summary
from coach.templating import render_document


def questions(engine: Engine, request: QuestionRequest) -> QuestionSet:
    """Rules arc; with an LLM configured, its draft replaces the arc only if it passes every check."""
    rules = suggest_questions(engine, request)
    if not engine.llm_enabled:
        return rules
    from coach.drafting import llm_questions

    return llm_questions(engine, engine.llm, request, rules)


def development_map(engine: Engine, current_role: str, **options: object) -> DevelopmentMap:
    """Rules map; with an LLM configured, a validated narrative paragraph is added."""
    dev_map = build_development_map(engine, current_role, **options)  # type: ignore[arg-type]
    if not engine.llm_enabled:
        return dev_map
    from coach.drafting import llm_map_narrative

    narrative, rejected = llm_map_narrative(engine, engine.llm, dev_map)
    update = {"narrative": narrative, "llm_rejected": rejected, "source": "llm" if narrative else "rules"}
    dev_map = dev_map.model_copy(update=update)
    dev_map.markdown = render_document("development_map.md", map=dev_map)
    return dev_map


def summary(engine: Engine, notes: str, meeting_date: date, participants: list[Participant]) -> FollowUpSummary:
    """Rules summary; with an LLM configured, its draft is used only if owners, dates and evidence check out."""
    from coach.followup import competency_linker

    link = competency_linker(engine)
    rules = draft_summary(notes, meeting_date, participants, link_competencies=link)
    if not engine.llm_enabled:
        return rules
    from coach.drafting import llm_summary

    return llm_summary(engine, engine.llm, notes, meeting_date, participants, rules, link_competencies=link)
