"""Questions drafted by an LLM: the rules arc is the floor, the draft replaces it only if it passes every check."""

from __future__ import annotations

import re
from collections.abc import Callable

from pydantic import BaseModel, Field

from coach.engine import Engine
from coach.errors import LLMOutputInvalid, LLMUnavailable
from coach.knowledge import SPOKEN_WORDING_RULES, STAGES
from coach.llm.drafting import (
    draft_with_validation,
    load_examples,
    messages,
    norm,
    rejection_reason,
)
from coach.llm.provider import LLMProvider
from coach.questions.arc import (
    QuestionRequest,
    QuestionSet,
    SuggestedQuestion,
    plan_arc,
)
from coach.questions.checker import check_question

CANDIDATES_PER_STAGE = 3


class DraftQuestion(BaseModel):
    """One question as the LLM drafts it."""

    text: str = Field(description="The question, open and non-leading, in plain words.")
    stage: str = Field(description="One of: reflect, aspire, explore, gaps, support, commit.")
    purpose: str = Field(description="What the question is for, in a few words.")
    rationale: str = Field(description="Why it fits this employee, one sentence.")
    sources: list[str] = Field(default_factory=list, description="Knowledge ids the question draws on.")
    followups: list[str] = Field(default_factory=list, description="Zero to two open follow-up probes.")


class DraftQuestionSet(BaseModel):
    """The LLM's question arc."""

    questions: list[DraftQuestion]


def _question_context(engine: Engine, request: QuestionRequest, rules: QuestionSet) -> dict:
    knowledge = engine.knowledge
    gaps = []
    target = knowledge.roles.get(rules.target_role.id) if rules.target_role else None
    current = knowledge.roles[rules.current_role.id]
    for cid in rules.focus_gaps:
        comp = knowledge.competencies[cid]
        required = target.competencies.get(cid, 1) if target else 1
        gaps.append({"id": cid, "name": comp.name, "required": required,
                     "behaviours": comp.level(required).behaviours[:2]})
    profile = " ".join(filter(None, [request.aspiration, request.context, rules.target_role.title if rules.target_role
                                     else "", " ".join(g["name"] for g in gaps)])) or current.title
    candidate_ids = [sid for q in rules.questions for sid in q.sources if sid in knowledge.questions]
    for stage in STAGES:
        candidate_ids += [h.id for h in engine.search(profile, kind="question", top=CANDIDATES_PER_STAGE, stage=stage)]
    candidates = [knowledge.questions[qid] for qid in dict.fromkeys(candidate_ids) if qid in knowledge.questions]
    candidates.sort(key=lambda q: (STAGES.index(q.stage), q.id))
    discovery = not request.aspiration.strip() and rules.target_role is None
    return {"request": request, "current": current, "target": target, "gaps": gaps, "candidates": candidates,
            "arc": plan_arc(request.count, discovery=discovery), "topic": rules.context_topic,
            "examples": load_examples("questions")}


def validate_questions(engine: Engine, count: int) -> Callable[[DraftQuestionSet], list[str]]:
    """The checks an LLM question arc must pass (count, open and non-leading, arc order, known ids)."""

    def validate(draft: DraftQuestionSet) -> list[str]:
        errors: list[str] = []
        if len(draft.questions) != count:
            errors.append(f"give exactly {count} questions, not {len(draft.questions)}")
        seen: set[str] = set()
        last_stage = -1
        for n, q in enumerate(draft.questions, 1):
            text = norm(q.text)
            if not text:
                errors.append(f"question {n} is empty")
                continue
            if "{" in text or "}" in text:
                errors.append(f"question {n} still has a {{slot}}: fill it with the real value")
            for rule, why in SPOKEN_WORDING_RULES:  # "{competency} skills" is checked by name below
                if rule.search(text):
                    errors.append(f"question {n} ({text!r}) {why}")
            for competency in engine.knowledge.competencies.values():
                name = competency.name
                at = text.find(name)
                if at > 0 and name != name.lower() and not name.isupper():
                    errors.append(f"question {n} pastes the label {name!r}: say it in lower case, as a phrase")
                if re.search(rf"\b{re.escape(name)}\s+skills?\b", text, re.IGNORECASE):
                    errors.append(f"question {n} says '{name} skills': say the competency alone")
            check = check_question(text)
            if not check.ok:
                errors.append(f"question {n} ({text!r}) is not open and non-leading: {'; '.join(check.reasons)}")
            if text.lower() in seen:
                errors.append(f"question {n} repeats an earlier question")
            seen.add(text.lower())
            if q.stage not in STAGES:
                errors.append(f"question {n} has stage {q.stage!r}; use one of {', '.join(STAGES)}")
            else:
                if STAGES.index(q.stage) < last_stage:
                    errors.append(f"question {n} ({q.stage}) comes after a later stage; keep the order "
                                  f"{' -> '.join(STAGES)}")
                last_stage = max(last_stage, STAGES.index(q.stage))
            unknown = [sid for sid in q.sources if not engine.knowledge.exists(sid)]
            if unknown:
                errors.append(f"question {n} cites unknown knowledge id(s) {unknown}; cite only ids given in the prompt")
        stages = {q.stage for q in draft.questions if q.stage in STAGES}
        if count >= 6 and len(stages) < 4:
            errors.append(f"cover at least 4 different stages, not {len(stages)}")
        return errors

    return validate


def _personalised_with(text: str, rules: QuestionSet, engine: Engine, request: QuestionRequest) -> list[str]:
    lowered = text.lower()
    used = []
    if rules.target_role and rules.target_role.title.lower() in lowered:
        used.append("target_role")
    if any(engine.knowledge.competencies[c].name.lower() in lowered for c in rules.focus_gaps):
        used.append("competency")
    if rules.context_topic and rules.context_topic.lower() in lowered:
        used.append("context")
    if any(c.action.lower()[:30] in lowered for c in request.open_commitments):
        used.append("commitment")
    return used


def llm_questions(engine: Engine, provider: LLMProvider, request: QuestionRequest, rules: QuestionSet) -> QuestionSet:
    """The LLM's question arc if it passes validation, else `rules` with the reason in llm_rejected."""
    prompt = messages("questions", **_question_context(engine, request, rules))
    try:
        draft = draft_with_validation(provider, prompt, DraftQuestionSet, validate_questions(engine, request.count))
    except (LLMUnavailable, LLMOutputInvalid) as exc:
        return rules.model_copy(update={"source": "rules", "llm_rejected": rejection_reason(exc)})
    questions = []
    for q in draft.questions:
        text = norm(q.text)
        followups = [norm(f) for f in q.followups if "{" not in f and check_question(norm(f)).ok][:2]
        questions.append(SuggestedQuestion(text=text, stage=q.stage, purpose=q.purpose.strip() or f"{q.stage} stage",
                                           rationale=q.rationale.strip(), sources=list(dict.fromkeys(q.sources)),
                                           followups=followups,
                                           personalised_with=_personalised_with(text, rules, engine, request)))
    return rules.model_copy(update={"questions": questions, "source": "llm", "llm_rejected": None})
