"""Question suggestions for a career conversation: an open, personal, grounded arc from the question bank."""

from __future__ import annotations

import math
import re
from datetime import date
from typing import Literal

import numpy as np
from pydantic import BaseModel, Field

from coach.engine import Engine
from coach.growth.aspiration import (
    AspirationKind,
    aspiration_kind,
    said_back,
    split_aspiration,
)
from coach.growth.gaps import Gap, analyse_gaps, normalise_ratings
from coach.growth.paths import RoleRef, rank_target_roles, role_ref
from coach.knowledge import STAGES, Question, Role
from coach.questions.checker import check_question
from coach.questions.context import extract_topics

ConversationType = Literal["career-check-in", "performance-review", "quarterly-reflection", "new-in-role"]
STAGE_WEIGHTS = {"reflect": 1.5, "aspire": 1.4, "explore": 1.2, "gaps": 1.6, "support": 1.1, "commit": 1.0}
SHORT_ARCS = {3: ("reflect", "aspire", "commit"), 4: ("reflect", "aspire", "gaps", "commit"),
              5: ("reflect", "aspire", "gaps", "support", "commit")}
NEAR_DUPLICATE = 0.86  # cosine similarity above which two questions ask the same thing
MAX_ALTERNATIVES = 3  # per stage: enough to swap a question, few enough to read at a glance
WELLBEING_THEMES = frozenset({"energy", "obstacles", "support", "manager-support", "values", "wellbeing", "workload"})
PERSONAL_SLOTS = ("target_role", "competency", "context", "commitment", "concern")
MAX_TEXT = 4000


class OpenCommitment(BaseModel):
    """A commitment still open from an earlier conversation."""

    action: str = Field(min_length=1, max_length=500)
    due: date | None = None
    overdue: bool = False
    owner: str | None = Field(None, max_length=120, description="Who committed: a name; the employee's own when "
                                                                 "it is the request's name.")
    owner_role: Literal["employee", "manager", "other"] | None = Field(
        None, description="The owner's role; without it, inferred from `owner` and the request's name.")


class QuestionRequest(BaseModel):
    """Who the conversation is with and what kind of conversation it is."""

    name: str = Field("", max_length=100, description="The employee's name.")
    role: str = Field(min_length=1, max_length=200, description="Current role: id, title or free text.")
    aspiration: str = Field("", max_length=2000, description="Aspirations in the employee's own words; may be empty.")
    target_role: str | None = Field(None, max_length=200, description="Target role id or title, if known.")
    horizon_months: int | None = Field(None, ge=1, le=60)
    ratings: dict[str, int | dict] | None = Field(None, max_length=100,
                                                  description="Competency ratings 1..5 (or {self, manager}).")
    context: str = Field("", max_length=MAX_TEXT, description="Recent context, e.g. notes from the last session.")
    open_commitments: list[OpenCommitment] = Field(default_factory=list, max_length=50)
    conversation_type: ConversationType = "career-check-in"
    count: int = Field(8, ge=3, le=15, description="How many questions, 3 to 15.")


class SuggestedQuestion(BaseModel):
    """One question of the arc, with why it is there and what it draws on."""

    text: str
    stage: str
    purpose: str
    rationale: str
    sources: list[str] = Field(description="Knowledge ids this question draws on (question bank, roles, competencies).")
    followups: list[str]
    personalised_with: list[str] = Field(default_factory=list, description="Which personal details the text uses.")


class QuestionSet(BaseModel):
    """The suggested conversation arc."""

    questions: list[SuggestedQuestion]
    source: Literal["rules", "llm"] = "rules"
    current_role: RoleRef
    target_role: RoleRef | None = None
    focus_gaps: list[str] = Field(default_factory=list, description="Gap competency ids the arc covers.")
    context_topic: str | None = Field(default=None, description="The main thing the recent context names.")
    context_topics: list[str] = Field(default_factory=list, description="Every topic the questions pick up, best first.")
    llm_rejected: str | None = None
    alternatives: list[SuggestedQuestion] = Field(
        default_factory=list,
        description=f"Up to {MAX_ALTERNATIVES} further questions per stage of the arc, best first, to swap for a "
                    "chosen one of the same stage; filled and checked like the chosen ones, none repeats them.")


def plan_arc(count: int, *, discovery: bool = False) -> list[str]:
    """How many questions per stage, in conversation order (at least four stages from six questions)."""
    if count in SHORT_ARCS:
        stages = list(SHORT_ARCS[count])
        if discovery:
            stages = [("explore" if s == "gaps" else s) for s in stages]
        return stages
    weights = dict(STAGE_WEIGHTS)
    if discovery:  # no aspiration yet: spend the time finding one rather than on gaps to a target
        weights.update(aspire=2.2, explore=1.8, gaps=0.8)
    extra = count - len(STAGES)
    total = sum(weights.values())
    shares = {s: extra * w / total for s, w in weights.items()}
    counts = {s: 1 + math.floor(shares[s]) for s in STAGES}
    leftover = count - sum(counts.values())
    for stage in sorted(STAGES, key=lambda s: (-(shares[s] - math.floor(shares[s])), STAGES.index(s)))[:leftover]:
        counts[stage] += 1
    return [s for s in STAGES for _ in range(counts[s])]


class _Slots:
    """Values for the question-bank slots; competencies rotate so the arc covers several gaps."""

    def __init__(self, name: str, current: Role, target: Role | None, gaps: list[Gap], topics: list[str],
                 commitments: list[OpenCommitment], concerns: list[str] | None = None,
                 kind: AspirationKind = "clear") -> None:
        self.name, self.current, self.target, self.gaps, self.topics = name, current, target, gaps, topics
        self.concerns = concerns or []  # fears the person voiced, in second person, taken up once
        self.kind = kind  # what kind of aspiration it is (coach.growth.aspiration.aspiration_kind)
        self.next_topic = 0
        self.commitments = sorted(commitments, key=lambda c: (not c.overdue, c.due or date.max))
        self.next_gap = 0
        self.next_commitment = 0

    def available(self) -> set[str]:
        have = {"current_role"}
        if self.name:
            have.add("name")
        if self.target:
            have.add("target_role")
        if self.gaps:
            have.add("competency")
        if self.topics:
            have.add("context")
        if self.commitments:
            have.add("commitment")
        if self.concerns:
            have.add("concern")
        return have

    def fill(self, question: Question) -> tuple[str, list[str], dict[str, str]]:
        """The text with slots filled, the knowledge ids it used, and the slot values."""
        values: dict[str, str] = {"current_role": self.current.title, "name": self.name}
        used_ids: list[str] = []
        if "target_role" in question.slots and self.target:
            values["target_role"] = self.target.title
            used_ids.append(self.target.id)
        if "current_role" in question.slots:
            used_ids.append(self.current.id)
        if "competency" in question.slots and self.gaps:
            gap = self.gaps[self.next_gap % len(self.gaps)]
            self.next_gap += 1
            values["competency"] = spoken(gap.competency)
            used_ids.append(gap.competency_id)
        if "context" in question.slots and self.topics:
            values["context"] = self.topics[self.next_topic % len(self.topics)]
            self.next_topic += 1
        if "concern" in question.slots and self.concerns:
            values["concern"] = self.concerns[0]
        text = question.text
        if "commitment" in question.slots and self.commitments:
            commitment = self.commitments[self.next_commitment % len(self.commitments)]
            values["commitment"] = _commitment_phrase(commitment)
            text = _owned(text, commitment, self.name)
            self.next_commitment += 1
        return _format(text, values), used_ids, values


def spoken(name: str) -> str:
    """A competency as a manager says it: "Stakeholder Management & Influence" -> "stakeholder management and
    influence"; acronyms stay ("SQL & Data Modelling" -> "SQL and data modelling")."""
    words = [w if (len(w) > 1 and w.isupper()) or any(c.isupper() for c in w[1:]) else w.lower()
             for w in name.replace("&", "and").split()]
    return " ".join(words)


def _format(text: str, values: dict[str, str]) -> str:
    out = text
    for key, value in values.items():
        out = out.replace("{" + key + "}", value)
    return out[0].upper() + out[1:] if out else out


# How the question bank speaks of the employee's own commitment, and how it reads for the manager's (the person
# asking), for someone else's (by name) and for one whose owner is not known.
_YOURS: list[tuple[re.Pattern[str], str, str, str]] = [
    (re.compile(r"\byour commitment to\b"), "my commitment to", "{name}'s commitment to", "the commitment to"),
    (re.compile(r"\byou committed to\b"), "I said I would", "{name} committed to", "we agreed to"),
    (re.compile(r"\bhelp you keep\b"), "help me keep", "help {name} keep", "help keep"),
]


def owner_role(commitment: OpenCommitment, employee_name: str) -> str | None:
    """Whose commitment this is: "employee", "manager", "other", or None when the owner is not known."""
    if commitment.owner_role:
        return commitment.owner_role
    owner, name = (commitment.owner or "").split(), employee_name.split()
    if not owner:
        return None
    return "employee" if name and owner[0].lower() == name[0].lower() else "other"


def _owned(text: str, commitment: OpenCommitment, employee_name: str) -> str:
    """The question worded for whose commitment it is: "your commitment" only for the employee's own,
    "my commitment" / "I said I would" for the manager's, others by name, "the commitment" when unknown."""
    role = owner_role(commitment, employee_name)
    if role == "employee":
        return text
    for pattern, mine, theirs, unknown in _YOURS:
        if role == "manager":
            wording = mine
        elif role == "other" and commitment.owner:
            wording = theirs.format(name=commitment.owner.strip())
        else:
            wording = unknown
        text = pattern.sub(wording, text)
    return text


def _commitment_phrase(commitment: OpenCommitment) -> str:
    action = commitment.action.strip().rstrip(".")
    return action[0].lower() + action[1:] if action[:2] != action[:2].upper() else action


def suggest_questions(engine: Engine, request: QuestionRequest) -> QuestionSet:
    """An ordered arc of open, non-leading questions personalised to the employee and grounded in the knowledge."""
    knowledge = engine.knowledge
    current = engine.resolve_role(request.role, field="role")
    target = engine.resolve_role(request.target_role, field="target_role") if request.target_role else None
    kind = aspiration_kind(request.aspiration)
    # Only a clear move (or a step back to hands-on work) names a target the person did not name themselves:
    # someone unsure, torn or staying is helped to explore instead of being handed a plan.
    if target is None and kind in ("clear", "stepping-back"):
        candidates = rank_target_roles(engine, current, request.aspiration, top=1)
        target = knowledge.roles[candidates[0].id] if candidates else None
    ratings = normalise_ratings(request.ratings)
    for cid in ratings:
        if cid not in knowledge.competencies:
            engine.resolve_competency(cid, field=f"ratings.{cid}")
    gaps = analyse_gaps(knowledge, current, target, ratings).gaps[:3] if target else []
    topics = extract_topics(request.context) if request.context else []
    slots = _Slots(request.name.strip(), current, target, gaps, topics, request.open_commitments,
                   [said_back(c) for c in split_aspiration(request.aspiration).concerns][:1], kind)
    discovery = target is None and kind in ("none", "exploring", "torn")
    arc = plan_arc(request.count, discovery=discovery)
    profile = " ".join(filter(None, [request.aspiration, request.context, target.title if target else "",
                                     " ".join(g.competency for g in gaps)])) or current.title
    picked, alternatives = _pick(engine, arc, request, slots, profile, discovery)
    return QuestionSet(questions=picked, alternatives=alternatives, current_role=role_ref(current),
                       target_role=role_ref(target) if target else None,
                       focus_gaps=[g.competency_id for g in gaps],
                       context_topic=topics[0] if topics else None, context_topics=topics)


def _candidates(engine: Engine, stage: str, request: QuestionRequest, slots: _Slots, profile: str,
                discovery: bool) -> list[tuple[float, Question]]:
    knowledge = engine.knowledge
    relevance = {h.id: h.score for h in engine.search(profile, kind="question", top=200, stage=stage)}
    best = max(relevance.values(), default=1.0) or 1.0
    available = slots.available()
    gap_ids = {g.competency_id for g in slots.gaps}
    scored = []
    for q in knowledge.questions.values():
        if q.stage != stage or not q.slots <= available:
            continue
        if q.conversation_types and request.conversation_type not in q.conversation_types:
            continue
        score = relevance.get(q.id, 0.0) / best
        personal = [s for s in PERSONAL_SLOTS if s in q.slots]
        score += 2.0 * len(personal)  # personal details make a question land: prefer them when known
        if "context" in q.slots and (stage == "reflect" or len(slots.topics) > 1 and request.count >= 8
                                     and stage != "aspire"):
            score += 2.0  # open on the recent thing by name; a second thing gets its own question later
        score += 1.0 if set(q.competencies) & gap_ids else 0.0
        score += 0.5 if request.conversation_type in q.conversation_types else 0.0
        if discovery and q.theme == "discovery":
            score += 1.5
        if "commitment" in q.slots:
            score += 1.0  # open commitments come first in a follow-up conversation
        if "concern" in q.slots:
            score += 1.5  # a fear the person voiced is answered before the plan, in their words
        if slots.kind == "tired" and q.theme in WELLBEING_THEMES:
            score += 2.0  # someone worn out is asked how they are and what would help before where they go next
        scored.append((score, q))
    scored.sort(key=lambda t: (-t[0], t[1].id))
    return scored


_State = tuple[int, int, int]


def _state(slots: _Slots) -> _State:
    return slots.next_gap, slots.next_commitment, slots.next_topic


def _restore(slots: _Slots, state: _State) -> None:
    slots.next_gap, slots.next_commitment, slots.next_topic = state


def _pick(engine: Engine, arc: list[str], request: QuestionRequest, slots: _Slots, profile: str,
          discovery: bool) -> tuple[list[SuggestedQuestion], list[SuggestedQuestion]]:
    """The chosen arc, then the alternatives per stage (see _alternatives)."""
    chosen: list[SuggestedQuestion] = []
    vectors: list[np.ndarray] = []
    used: set[str] = set()
    per_stage: dict[str, list[tuple[float, Question]]] = {}
    stage_start: dict[str, _State] = {}  # slot counters when each stage's first question was filled
    topic_cap = min(len(slots.topics), 1 if len(arc) < 8 else 2)
    for position, stage in enumerate(arc):
        if stage not in per_stage:
            per_stage[stage] = _candidates(engine, stage, request, slots, profile, discovery)
            stage_start[stage] = _state(slots)
        ranked = per_stage[stage]
        if position == len(arc) - 1 and stage == "commit":
            # The conversation ends on a concrete step the person owns, not on "how do you think about the timing"
            # (panel round 2: sets that "stop at reflection, with no next step" lost).
            # Someone worn out gets a small step of their own choosing, not a skills action or a search for paths.
            ranked = sorted(ranked, key=lambda pair: (
                pair[1].theme not in NEXT_STEP_THEMES,
                slots.kind == "tired" and (bool(pair[1].slots & {"competency", "target_role"})
                                           or pair[1].theme == "discovery")))
        for _, question in ranked:
            if question.id in used or "context" in question.slots and slots.next_topic >= topic_cap:
                continue  # each topic is named once, and a short arc names one: more reads as a script
            if "concern" in question.slots and any("concern" in q.personalised_with for q in chosen):
                continue  # a worry is taken up once, with care; twice reads as dwelling on it
            state = _state(slots)
            text, ids, values = slots.fill(question)
            if not check_question(text).ok:
                _restore(slots, state)
                continue
            vector = np.asarray(engine.embeddings.embed_query(text))
            if any(float(vector @ other) >= NEAR_DUPLICATE for other in vectors):
                _restore(slots, state)
                continue
            used.add(question.id)
            vectors.append(vector)
            chosen.append(_suggestion(question, text, ids, values, slots, request))
            break
    alternatives = _alternatives(engine, per_stage, stage_start, used, vectors, slots, request, topic_cap)
    if slots.target is not None:
        chosen = _name_the_target_once(chosen, slots.target.title)
    return chosen, alternatives


NEXT_STEP_THEMES = frozenset({"actions", "discovery"})  # commit-stage themes that ask for one owned next step


# How a later question refers back to the target an earlier one named: (the phrase around the title, as said then).
# The questions eval counts these phrases as personal (evals/suites/questions.py).
REFER_BACK = (("the {title} role", "that role"), ("a move toward {title}", "that move"),
              ("becoming {title}", "making that move"), ("at the level of {title}", "at that level"),
              ("people working as {title}", "people in that role"), ("as {title}", "in that role"),
              ("in {title} work", "in that work"), ("toward {title}", "toward it"))


def _refer_back(text: str, title: str) -> str:
    """A later question's mention of the target, said the way a person refers back to something already named."""
    for phrase, said in REFER_BACK:
        pattern = r"\b" + re.escape(phrase).replace(re.escape("{title}"), re.escape(title)) + r"\b"
        text, n = re.subn(pattern, said, text)
        if n:
            return text
    return text


def _name_the_target_once(chosen: list[SuggestedQuestion], title: str) -> list[SuggestedQuestion]:
    """The target's title in the first question that names it, a reference back in the later ones: reviewers of
    the blind panel counted "the Product Manager role" five times in one set."""
    named = False
    out = []
    for question in chosen:
        if title in question.text:
            if named:
                text = _refer_back(question.text, title)
                if text != question.text and check_question(text).ok:
                    question = question.model_copy(update={"text": text})
            named = True
        out.append(question)
    return out


def _alternatives(engine: Engine, per_stage: dict[str, list[tuple[float, Question]]],
                  stage_start: dict[str, _State], used: set[str], vectors: list[np.ndarray], slots: _Slots,
                  request: QuestionRequest, topic_cap: int) -> list[SuggestedQuestion]:
    """Up to MAX_ALTERNATIVES unchosen candidates per stage, filled from the counters that stage started with.

    They pass the same checks as the chosen ones and are no near-duplicate of a chosen one or of each other; the
    counters are put back afterwards, so nothing about the chosen arc changes.
    """
    final = _state(slots)
    found: list[SuggestedQuestion] = []
    for stage, candidates in per_stage.items():
        seen = list(vectors)
        count = 0
        for _, question in candidates:
            if count >= MAX_ALTERNATIVES:
                break
            if question.id in used or "context" in question.slots and stage_start[stage][2] >= topic_cap:
                continue
            _restore(slots, stage_start[stage])
            text, ids, values = slots.fill(question)
            if not check_question(text).ok:
                continue
            vector = np.asarray(engine.embeddings.embed_query(text))
            if any(float(vector @ other) >= NEAR_DUPLICATE for other in seen):
                continue
            seen.append(vector)
            found.append(_suggestion(question, text, ids, values, slots, request))
            count += 1
    _restore(slots, final)
    return found


def _suggestion(question: Question, text: str, ids: list[str], values: dict[str, str], slots: _Slots,
                request: QuestionRequest) -> SuggestedQuestion:
    personal = [s for s in PERSONAL_SLOTS if s in question.slots]
    followups = []
    for probe in question.followups:
        missing = {s for s in ("target_role", "competency", "context", "commitment", "name") if "{" + s + "}" in probe
                   and s not in values}
        filled = _format(probe, values)
        if not missing and check_question(filled).ok:
            followups.append(filled)
    sources = list(dict.fromkeys([question.id, *ids, *question.competencies]))
    return SuggestedQuestion(text=text, stage=question.stage, purpose=question.purpose or f"{question.stage} stage",
                             rationale=_rationale(question, values, slots, request), sources=sources,
                             followups=followups[:2], personalised_with=personal)


def _rationale(question: Question, values: dict[str, str], slots: _Slots, request: QuestionRequest) -> str:
    who = slots.name or "The employee"
    parts = []
    if "concern" in values:
        parts.append(f"takes up the worry {who} voiced, in their words ('{values['concern']}')")
    if "commitment" in values:
        parts.append(f"follows up the open commitment '{values['commitment']}'")
    if "context" in values:
        topic = re.sub(r"^your ", "the ", values["context"])  # the rationale is read by the manager
        parts.append(f"picks up {topic} from the recent context")
    if "target_role" in values:
        parts.append(f"ties the conversation to {values['target_role']}, where {who} is heading")
    if "competency" in values:
        gap = next(g for g in slots.gaps if spoken(g.competency) == values["competency"])
        target = slots.target.title if slots.target else "the target role"
        parts.append(f"explores {gap.competency}, a gap for {target} ({gap.current} now, {gap.required} needed)")
    if not parts:
        generic = {
            "reflect": "opens on recent work so the conversation starts from evidence",
            "aspire": "lets them say what they want in their own words" if request.aspiration.strip()
            else "helps surface an aspiration, since none has been stated yet",
            "explore": "widens the options before settling on one",
            "gaps": "invites a self-assessment before any feedback",
            "support": "makes the manager's part concrete",
            "commit": "turns the conversation into an agreed next step",
        }
        parts.append(generic[question.stage])
    return f"For {who} ({slots.current.title}): " + "; ".join(parts) + "."
