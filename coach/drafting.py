"""The LLM drafts, code decides: validated drafts with one repair attempt, the rules result as the floor."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING, TypeVar

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage
from pydantic import BaseModel, Field

from coach.checker import check_question
from coach.engine import Engine
from coach.errors import LLMOutputInvalid, LLMUnavailable
from coach.knowledge import STAGES
from coach.llm import LLMProvider, RawOutputError
from coach.questions import QuestionRequest, QuestionSet, SuggestedQuestion, plan_arc
from coach.templating import PROMPTS_DIR, render

if TYPE_CHECKING:
    from coach.development import DevelopmentMap
    from coach.summaries import FollowUpSummary, Participant

T = TypeVar("T", bound=BaseModel)

MAX_REPAIR_ERRORS = 10  # a repair prompt lists at most this many problems; small models drown in more
CANDIDATES_PER_STAGE = 3
NARRATIVE_WORDS = (30, 200)
RECAP_SENTENCES = (1, 5)
MIN_EVIDENCE_CHARS = 8
GROUNDED_SHARE = 0.5  # at least half the content words of a summary line must occur in the notes
STEM_CHARS = 5  # "shadowing" and "shadow" share a stem; crude, but it needs no model


# --- the generic loop --------------------------------------------------------------------------

def draft_with_validation(provider: LLMProvider, messages: list[BaseMessage], schema: type[T],
                          validate: Callable[[T], list[str]]) -> T:
    """Ask for `schema`, validate it, send the problems back once; LLMOutputInvalid if the repair fails too."""
    conversation = list(messages)
    raw_outputs: list[str] = []
    errors: list[str] = []
    for attempt in (1, 2):
        try:
            draft = provider.generate(conversation, schema)
        except RawOutputError as exc:
            raw, errors = exc.raw, [str(exc)]
        else:
            errors = validate(draft)
            if not errors:
                return draft
            raw = draft.model_dump_json()
        raw_outputs.append(raw)
        if attempt == 1:
            conversation += [AIMessage(content=raw or "(no answer)"),
                             HumanMessage(content=render("repair", errors=errors[:MAX_REPAIR_ERRORS],
                                                         more=max(0, len(errors) - MAX_REPAIR_ERRORS),
                                                         schema_name=schema.__name__))]
    raise LLMOutputInvalid(f"the LLM's {schema.__name__} failed validation twice: {errors[0]}",
                           attempts=len(raw_outputs), raw_outputs=raw_outputs, errors=errors)


def rejection_reason(exc: LLMUnavailable | LLMOutputInvalid) -> str:
    """A one-line reason for `llm_rejected`: why the rules engine's answer was kept."""
    if isinstance(exc, LLMOutputInvalid):
        shown = "; ".join(exc.errors[:3]) + (f"; and {len(exc.errors) - 3} more" if len(exc.errors) > 3 else "")
        return f"LLM output invalid after {exc.attempts} attempt(s): {shown}"
    return f"LLM unavailable: {exc.message}"


@lru_cache(maxsize=8)
def load_examples(task: str) -> list[dict]:
    """The few-shot examples of a task, from coach/prompts/examples/<task>.json."""
    path = PROMPTS_DIR / "examples" / f"{task}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else []


def _as_json(value: object) -> str:
    # Not jinja's tojson: it sorts keys and escapes quotes as HTML, which reads badly to a model.
    return json.dumps(value, ensure_ascii=False)


def _messages(task: str, **context: object) -> list[BaseMessage]:
    return [SystemMessage(content=render("system", task=task)),
            HumanMessage(content=render(task, as_json=_as_json, **context))]


def _norm(text: str) -> str:
    return " ".join(text.split())


# --- questions -----------------------------------------------------------------------------------

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
            text = _norm(q.text)
            if not text:
                errors.append(f"question {n} is empty")
                continue
            if "{" in text or "}" in text:
                errors.append(f"question {n} still has a {{slot}}: fill it with the real value")
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
    messages = _messages("questions", **_question_context(engine, request, rules))
    try:
        draft = draft_with_validation(provider, messages, DraftQuestionSet, validate_questions(engine, request.count))
    except (LLMUnavailable, LLMOutputInvalid) as exc:
        return rules.model_copy(update={"source": "rules", "llm_rejected": rejection_reason(exc)})
    questions = []
    for q in draft.questions:
        text = _norm(q.text)
        followups = [_norm(f) for f in q.followups if "{" not in f and check_question(_norm(f)).ok][:2]
        questions.append(SuggestedQuestion(text=text, stage=q.stage, purpose=q.purpose.strip() or f"{q.stage} stage",
                                           rationale=q.rationale.strip(), sources=list(dict.fromkeys(q.sources)),
                                           followups=followups,
                                           personalised_with=_personalised_with(text, rules, engine, request)))
    return rules.model_copy(update={"questions": questions, "source": "llm", "llm_rejected": None})


# --- follow-up summaries -------------------------------------------------------------------------

class DraftCommitment(BaseModel):
    """One agreed action as the LLM drafts it."""

    owner: str | None = Field(description="Exactly one participant's name, or null if nobody owns it.")
    action: str = Field(description="What will be done, starting with a verb.")
    due: str | None = Field(None, description="ISO date (YYYY-MM-DD) or the date phrase from the notes, or null.")
    success_indicator: str | None = Field(None, description="How everyone will know it is done.")
    evidence: str = Field(description="An exact quote from the notes where this was agreed.")


class DraftSummary(BaseModel):
    """The LLM's follow-up summary of a conversation."""

    recap: str = Field(description="One to five sentences on what was discussed.")
    reflections: list[str] = Field(default_factory=list)
    aspirations: list[str] = Field(default_factory=list)
    concerns: list[str] = Field(default_factory=list)
    commitments: list[DraftCommitment] = Field(default_factory=list)
    next_check_in: str | None = Field(None, description="ISO date or date phrase of the next check-in, or null.")


_WORD = re.compile(r"[a-z][a-z'-]{3,}")
_STOPWORDS = frozenset("""about after also been before being could does from have into just more most much need needs
other over same some such than that their them then there these they this those very want wants were what when where
which while will with would your discussed discuss talked agreed said says meeting conversation notes""".split())
_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)")
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _resolve(value: str | None, meeting_date: date, next_check_in: date | None = None) -> tuple[date | None, bool]:
    """(date, ok): an ISO date on or after the meeting, or a phrase resolve_due_date understands."""
    from coach.dates import is_asap, resolve_due_date

    if value is None or not value.strip():
        return None, True
    text = value.strip()
    if is_asap(text):
        return None, True  # urgent but undated, as the rules engine treats it (flagged on conversion)
    if _ISO_DATE.match(text):
        try:
            when = date.fromisoformat(text)
        except ValueError:
            return None, False
        return (when, True) if when >= meeting_date else (None, False)
    when = resolve_due_date(text, meeting_date, next_check_in=next_check_in)
    return (when, True) if when is not None and when >= meeting_date else (None, False)


def _owner(name: str | None, participants: list[Participant]) -> tuple[str | None, bool]:
    """(participant name, ok): the exact name, or a case-insensitive full or unique first-name match."""
    if name is None or not name.strip():
        return None, True
    wanted = _norm(name).lower()
    for p in participants:
        if p.name.lower() == wanted:
            return p.name, True
    by_first = [p for p in participants if p.name.split()[0].lower() == wanted]
    return (by_first[0].name, True) if len(by_first) == 1 else (None, False)


def _count_sentences(text: str) -> int:
    stripped = text.strip()
    if not stripped:
        return 0
    return len(_SENTENCE_END.findall(stripped)) + (0 if _SENTENCE_END.search(stripped[-1:] or " ") else 1)


def _stems(text: str) -> list[str]:
    return [w[:STEM_CHARS] for w in _WORD.findall(text.lower()) if w not in _STOPWORDS]


def _ungrounded(text: str, note_stems: set[str]) -> bool:
    """Whether most content words of `text` are absent from the notes (a copied example, an invention)."""
    stems = _stems(text)
    return bool(stems) and sum(s in note_stems for s in stems) / len(stems) < GROUNDED_SHARE


def validate_summary(notes: str, meeting_date: date, participants: list[Participant], *,
                     rules: FollowUpSummary | None = None) -> Callable[[DraftSummary], list[str]]:
    """The checks an LLM summary must pass: known owners, resolvable dates, quoted evidence, a grounded recap.

    With `rules`, the draft must also keep every commitment the rules engine found with a participant
    as owner: an LLM summary may say it better, never with less than the floor.
    """
    flat_notes = _norm(notes)
    names = ", ".join(p.name for p in participants)
    note_stems = set(_stems(notes + " " + names))
    floor = [_norm(c.evidence) for c in (rules.commitments if rules else []) if c.owner]

    def validate(draft: DraftSummary) -> list[str]:
        errors: list[str] = []
        sentences = _count_sentences(draft.recap)
        if not RECAP_SENTENCES[0] <= sentences <= RECAP_SENTENCES[1]:
            errors.append(f"recap has {sentences} sentences; write 1 to 5")
        for n, sentence in enumerate(_SENTENCE_SPLIT.split(_norm(draft.recap)), 1):
            if _ungrounded(sentence, note_stems):
                errors.append(f"recap sentence {n} ({sentence[:80]!r}) is not supported by these notes")
        for field in ("reflections", "aspirations", "concerns"):
            for n, item in enumerate(getattr(draft, field), 1):
                if _ungrounded(item, note_stems):
                    errors.append(f"{field} item {n} ({item[:80]!r}) is not supported by these notes")
        quoted = [_norm(c.evidence) for c in draft.commitments]
        for evidence in floor:
            if not any(q and (q in evidence or evidence in q) for q in quoted):
                errors.append(f"a commitment agreed in the notes is missing: {evidence[:100]!r}")
        check_in, ok = _resolve(draft.next_check_in, meeting_date)
        if not ok:
            errors.append(f"next_check_in {draft.next_check_in!r} is not a date on or after "
                          f"{meeting_date.isoformat()}; give YYYY-MM-DD or null")
        for n, c in enumerate(draft.commitments, 1):
            _, owner_ok = _owner(c.owner, participants)
            if not owner_ok:
                errors.append(f"commitment {n}: owner {c.owner!r} is not a participant ({names}); "
                              "drop it or use a participant's name")
            if not c.action.strip():
                errors.append(f"commitment {n}: action is empty")
            _, due_ok = _resolve(c.due, meeting_date, check_in)
            if not due_ok:
                errors.append(f"commitment {n}: due {c.due!r} is not a date on or after "
                              f"{meeting_date.isoformat()}; give YYYY-MM-DD, the phrase from the notes, or null")
            evidence = _norm(c.evidence)
            if len(evidence) < MIN_EVIDENCE_CHARS or evidence not in flat_notes:
                errors.append(f"commitment {n}: evidence {c.evidence[:80]!r} is not an exact quote from the notes")
        return errors

    return validate


def _fenced(notes: str) -> str:
    # The notes must not be able to close their own fence and speak as the prompt.
    return re.sub(r"<\s*/?\s*notes\s*>", lambda m: m.group(0).replace("<", "(").replace(">", ")"), notes,
                  flags=re.IGNORECASE)


def llm_summary(engine: Engine, provider: LLMProvider, notes: str, meeting_date: date,
                participants: list[Participant], rules: FollowUpSummary, *,
                link_competencies: Callable[[str], list[str]] | None = None) -> FollowUpSummary:
    """The LLM's summary if it passes validation, else `rules` with the reason in llm_rejected.

    Commitments are linked to competencies with `link_competencies`, by default the rules engine's linker.
    """
    messages = _messages("summary", notes=_fenced(notes), meeting_date=meeting_date, participants=participants,
                         examples=load_examples("summary"))
    try:
        draft = draft_with_validation(provider, messages, DraftSummary,
                                      validate_summary(notes, meeting_date, participants, rules=rules))
    except (LLMUnavailable, LLMOutputInvalid) as exc:
        return _with_rejection(rules, rejection_reason(exc))
    if link_competencies is None:
        from coach.followup import competency_linker  # the rules engine's linker, so both engines link alike

        link_competencies = competency_linker(engine)
    return _to_summary(draft, meeting_date, participants, rules, link_competencies)


def _with_rejection(rules: FollowUpSummary, reason: str) -> FollowUpSummary:
    return rules.model_copy(update={"source": "rules", "llm_rejected": reason})


def _flags(owner: str | None, due: date | None, phrase: str | None) -> list[str]:
    """The same flags the rules engine puts on a commitment a person should check."""
    from coach.dates import is_asap

    flags = [] if owner else ["owner unclear"]
    if phrase and is_asap(phrase):
        flags.append("due ASAP (no date)")
    elif due is None:
        flags.append("no due date")
    return flags


def _to_summary(draft: DraftSummary, meeting_date: date, participants: list[Participant], rules: FollowUpSummary,
                link_competencies: Callable[[str], list[str]]) -> FollowUpSummary:
    from coach.summaries import Commitment, render_summary

    check_in, _ = _resolve(draft.next_check_in, meeting_date)
    check_in = check_in or rules.next_check_in
    commitments = []
    for c in draft.commitments:
        owner, _ = _owner(c.owner, participants)
        due, _ = _resolve(c.due, meeting_date, check_in)
        phrase = c.due.strip() if c.due and c.due.strip() and not _ISO_DATE.match(c.due.strip()) else None
        evidence = _norm(c.evidence)
        competency_ids = link_competencies(c.action)
        commitments.append(Commitment(owner=owner, action=c.action.strip(), due=due, due_phrase=phrase,
                                      success_indicator=(c.success_indicator or "").strip() or None,
                                      competency_ids=list(competency_ids), evidence=evidence,
                                      flags=_flags(owner, due, phrase)))
    summary = rules.model_copy(update={
        "recap": [s for s in _SENTENCE_SPLIT.split(_norm(draft.recap)) if s],
        "reflections": [_norm(r) for r in draft.reflections if r.strip()],
        "aspirations": [_norm(a) for a in draft.aspirations if a.strip()],
        "concerns": [_norm(c) for c in draft.concerns if c.strip()], "commitments": commitments,
        "next_check_in": check_in, "source": "llm", "llm_rejected": None,
    })
    # Resources found by the rules engine still quote the notes, so they stay.
    return render_summary(summary, participants=participants, meeting_date=meeting_date)


# --- development-map narrative -------------------------------------------------------------------

class DraftNarrative(BaseModel):
    """A one-paragraph narrative of a development map."""

    narrative: str = Field(description="One paragraph, 30 to 200 words.")


def validate_narrative(engine: Engine, dev_map: DevelopmentMap) -> Callable[[DraftNarrative], list[str]]:
    """The checks a narrative must pass: names the target role, no role outside the map, 30-200 words."""
    allowed = {dev_map.target_role.title.lower(), dev_map.current_role.title.lower(),
               *(c.title.lower() for c in dev_map.candidates)}
    others = {r.title.lower() for r in engine.knowledge.roles.values()} - allowed

    def spans(text: str, title: str) -> list[tuple[int, int]]:
        return [m.span() for m in re.finditer(rf"(?<!\w){re.escape(title)}(?!\w)", text)]

    def validate(draft: DraftNarrative) -> list[str]:
        text = _norm(draft.narrative)
        lowered = text.lower()
        errors = []
        words = len(text.split())
        if not NARRATIVE_WORDS[0] <= words <= NARRATIVE_WORDS[1]:
            errors.append(f"the narrative has {words} words; write {NARRATIVE_WORDS[0]} to {NARRATIVE_WORDS[1]}")
        if dev_map.target_role.title.lower() not in lowered:
            errors.append(f"the narrative must name the target role, {dev_map.target_role.title}")
        covered = [s for title in allowed for s in spans(lowered, title)]
        # "Data Analyst" inside "Senior Data Analyst" is the allowed role, not another one.
        stray = sorted({title for title in others for (a, b) in spans(lowered, title)
                        if not any(x <= a and b <= y for x, y in covered)})
        if stray:
            errors.append(f"the narrative names role(s) that are not in the map: {', '.join(stray)}")
        return errors

    return validate


def llm_map_narrative(engine: Engine, provider: LLMProvider, dev_map: DevelopmentMap) -> tuple[str | None, str | None]:
    """(narrative, None) when the LLM's paragraph passes validation, else (None, the reason it was rejected)."""
    messages = _messages("map_narrative", map=dev_map, examples=load_examples("map_narrative"))
    try:
        draft = draft_with_validation(provider, messages, DraftNarrative, validate_narrative(engine, dev_map))
    except (LLMUnavailable, LLMOutputInvalid) as exc:
        return None, rejection_reason(exc)
    return _norm(draft.narrative), None
