"""Feedback as evidence on the career map: each observed sentence of a piece of feedback is matched to the
competency the engine's search ranks first, at the level whose behaviours it is nearest to (MiniLM similarity),
kept in the feedback's own words, and shown against what the target role of the person's latest map requires."""

from __future__ import annotations

import re
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np
from pydantic import BaseModel, Field

from coach.errors import Forbidden, InvalidInput
from coach.feedback.check import MAX_FEEDBACK_CHARS, FeedbackVerdict, check_feedback
from coach.feedback.learned import split_sentences
from coach.knowledge import Knowledge
from coach.store.auth import Principal, require_access
from coach.store.evidence import DIRECT, EvidenceIn, EvidenceRecord, Polarity, list_evidence, save_evidence
from coach.store.store import Store

if TYPE_CHECKING:
    from langchain_core.embeddings import Embeddings

    from coach.engine import Engine

# The competency is the hybrid search's first hit (its document holds the name, keywords and every level), which
# named the right competency more often than the single nearest behaviour did on the worked example; the level is
# the one whose behaviour is nearest. Below this cosine to that behaviour, the sentence is evidence of nothing.
MIN_SIMILARITY = 0.25
MIN_WORDS = 3
MAX_PER_MAP_GAP = 10
# Words that say the person fell short of a behaviour rather than showed it ("missed", "without explaining").
_SHORTFALL = re.compile(
    r"n't\b|\b(?:not|no|never|without|lack(?:s|ed|ing)?|miss(?:es|ed|ing)?|fail(?:s|ed|ing)?|late|delay(?:s|ed)?|"
    r"struggl\w*|confus\w*|inconsistent|incorrect\w*|wrong|rather than|instead of|dismiss\w*|interrupt\w*|"
    r"derogatory|below|should have|could have|wish you(?:'d| had| would)?)\b", re.IGNORECASE)
# A sentence is about the person when it names them by pronoun, or opens with their verb ("Communicates clearly").
# Without either it states a norm or a value ("Senior developers build context first"): no evidence of anyone.
_PERSON_WORD = re.compile(r"\b(?:you|your|yours|yourself|he|she|they|him|her|his|hers|their|them|themselves)\b",
                          re.IGNORECASE)
_NOT_VERBS = r"(?!(?:This|Thus|Its|Is|Was|Has|Does|As|Yes|Less|Unless)\b)"
_STARTS_WITH_VERB = re.compile(r"^\W*(?:[A-Z][a-z]+ly\s+[a-z]+s|" + _NOT_VERBS + r"[A-Z][a-z]+s)\b")


class EvidenceLink(BaseModel):
    """One sentence of a piece of feedback matched to a competency level."""

    quote: str = Field(description="The sentence, verbatim: the citation.")
    start: int = Field(description="Offset of the quote in the feedback text.")
    end: int = Field(description="Offset after the quote.")
    competency_id: str
    competency: str = Field(description="The competency's name.")
    level: int = Field(ge=1, le=5, description="The level whose behaviour the sentence is nearest to.")
    behaviour: str = Field(description="That behaviour, from the competency model.")
    similarity: float = Field(description="Cosine similarity of the sentence to that behaviour (MiniLM).")
    polarity: Polarity = Field(description="'against' when the sentence describes falling short of the behaviour.")


class EvidencePublic(BaseModel):
    """A stored link, shown against the target role's requirement of the person's development map."""

    id: str
    source: str = Field(description="The note id whose summary held the feedback, or 'direct'.")
    quote: str = Field(description="The feedback's own words.")
    competency_id: str
    competency: str = Field(description="The competency's name (its id when the knowledge no longer has it).")
    level: int
    polarity: Polarity
    required: int | None = Field(description="The level the map's target role requires; None without one.")
    target_role: str | None = Field(description="The map's target role title; None when there is no map.")
    message: str = Field(description="e.g. 'evidence of Communication at level 3, required 4 for Senior ...'.")
    created_by: str
    created_at: datetime


class FeedbackGiven(BaseModel):
    """What giving feedback returns: the language check and the evidence links stored from it."""

    verdict: FeedbackVerdict
    evidence: list[EvidencePublic] = Field(description="One link per competency the feedback gives evidence of.")


@lru_cache(maxsize=4)
def _behaviours(knowledge: Knowledge, embeddings: Embeddings) -> tuple[list[tuple[str, int, str]], np.ndarray]:
    """Every level behaviour of the competency model and its unit vector (embedded once per knowledge)."""
    items = [(c.id, lv.level, b) for c in knowledge.competencies.values() for lv in c.levels for b in lv.behaviours]
    return items, np.asarray(embeddings.embed_documents([b for _, _, b in items]), dtype=np.float32)


def _candidates(text: str, verdict: FeedbackVerdict) -> list[tuple[int, str]]:
    """The sentences that report something the person did: not questions or requests, not judgement or impact alone,
    not norms that name nobody, not a word or two."""
    out = []
    for offset, sentence in split_sentences(text):
        flags = {s.flag for s in verdict.spans if offset <= s.start < offset + len(sentence)}
        stripped = sentence.strip()
        if len(stripped.split()) < MIN_WORDS or stripped.endswith("?") or \
                "behaviour" not in flags and flags & {"next_step", "judgement", "impact"} or \
                not (_PERSON_WORD.search(stripped) or _STARTS_WITH_VERB.search(stripped)):
            continue
        out.append((offset + sentence.index(stripped), stripped))
    return out


def link_text(engine: Engine, text: str, verdict: FeedbackVerdict | None = None, *,
              scope: set[str] | None = None) -> list[EvidenceLink]:
    """The competency levels a piece of feedback gives evidence of: at most one link per competency, best first.

    `scope`: the competencies that can be linked (the person's roles'); None: all of them.
    """
    verdict = verdict or check_feedback(text, embedder=engine.embeddings)
    items, matrix = _behaviours(engine.knowledge, engine.embeddings)
    comps = engine.knowledge.competencies
    best: dict[str, EvidenceLink] = {}
    for offset, sentence in _candidates(text, verdict):
        hits = [hit for hit in engine.search(sentence, kind="competency", top=len(comps))
                if scope is None or hit.id in scope]
        if not hits:
            continue
        sims = matrix @ np.asarray(engine.embeddings.embed_query(sentence), dtype=np.float32)
        index = max((i for i, item in enumerate(items) if item[0] == hits[0].id), key=lambda i: float(sims[i]))
        cid, level, behaviour = items[index]
        similarity = float(sims[index])
        if similarity < MIN_SIMILARITY or (cid in best and best[cid].similarity >= similarity):
            continue
        best[cid] = EvidenceLink(quote=sentence, start=offset, end=offset + len(sentence), competency_id=cid,
                                 competency=comps[cid].name, level=level, behaviour=behaviour,
                                 similarity=round(similarity, 4),
                                 polarity="against" if _SHORTFALL.search(sentence) else "for")
    return sorted(best.values(), key=lambda link: -link.similarity)


def _latest_map(store: Store, employee_id: str) -> dict[str, Any] | None:
    maps = store.list_maps(employee_id)
    return maps[0].payload if maps else None


def person_scope(engine: Engine, store: Store, employee_id: str) -> set[str] | None:
    """The competencies of the person's role and of their latest map's current and target roles; None if unknown."""
    roles = engine.knowledge.roles
    person = store.get_person(employee_id)
    payload = _latest_map(store, employee_id) or {}
    ids = {person.role_id if person else None}
    ids |= {(payload.get(key) or {}).get("id") for key in ("current_role", "target_role")
            if isinstance(payload.get(key), dict)}
    scope = {cid for rid in ids if rid in roles for cid in roles[rid].competencies}
    return scope or None


def _public(record: EvidenceRecord, payload: dict[str, Any] | None, knowledge: Knowledge | None) -> EvidencePublic:
    """The record with its competency name, and the requirement of the map's target role."""
    payload_items = (payload or {}).get("gaps", []) + (payload or {}).get("strengths", [])
    entries = {e.get("competency_id"): e for e in payload_items if isinstance(e, dict)}
    entry = entries.get(record.competency_id) or {}
    known = knowledge.competencies.get(record.competency_id) if knowledge else None
    name = known.name if known else entry.get("competency") or record.competency_id
    target = (payload or {}).get("target_role") or {}
    title = target.get("title") if isinstance(target, dict) else None
    required = entry.get("required")
    if required is None and knowledge is not None and target.get("id") in knowledge.roles:
        required = knowledge.roles[target["id"]].competencies.get(record.competency_id)
    shown = f"evidence of {name} at level {record.level}" if record.polarity == "for" else \
        f"evidence against {name} at level {record.level} (falls short of it)"
    if payload is None:
        message = f"{shown} (no development map yet)"
    elif required is None:
        message = f"{shown}; not required for {title}"
    else:
        message = f"{shown}, required {required} for {title}"
    return EvidencePublic(**record.model_dump(exclude={"employee_id"}), competency=name, required=required,
                          target_role=title if payload is not None else None, message=message)


def evidence_for(store: Store, employee_id: str, *, knowledge: Knowledge | None = None,
                 map_payload: dict[str, Any] | None = None) -> list[EvidencePublic]:
    """The employee's feedback evidence, newest first, against the given map (default: their latest map).

    For the questions pipeline and the map view; no access check (callers check), no engine needed.
    """
    payload = map_payload if map_payload is not None else _latest_map(store, employee_id)
    return [_public(r, payload, knowledge) for r in list_evidence(store, employee_id)]


def gap_evidence(evidence: list[EvidencePublic], competency_id: str) -> list[dict[str, Any]]:
    """The evidence of one gap's competency, newest first, as the map view shows it."""
    return [e.model_dump(mode="json") for e in evidence if e.competency_id == competency_id][:MAX_PER_MAP_GAP]


def may_give(principal: Principal, employee_id: str) -> bool:
    """Admins give feedback to anyone, managers to their (transitive) reports; nobody else here."""
    return principal.role == "admin" or principal.role == "manager" and employee_id in principal.reports


def require_giver(principal: Principal, employee_id: str) -> None:
    """Forbidden unless the principal may give this person feedback (may_give)."""
    if may_give(principal, employee_id):
        return
    raise Forbidden("employee_id: only the person's manager (or an admin) can give them feedback", field="employee_id")


def _store_links(engine: Engine, store: Store, employee_id: str, source: str, links: list[EvidenceLink], by: str, *,
                 replace: bool) -> list[EvidencePublic]:
    rows = [EvidenceIn(quote=link.quote, competency_id=link.competency_id, level=link.level, polarity=link.polarity)
            for link in links]
    records = save_evidence(store, employee_id, source, rows, by, replace=replace)
    payload = _latest_map(store, employee_id)
    return [_public(r, payload, engine.knowledge) for r in records]


def give_feedback(engine: Engine, store: Store, principal: Principal, employee_id: str, text: str) -> FeedbackGiven:
    """Check the language of a manager's feedback, link it to the career map and store the links (source 'direct')."""
    require_giver(principal, employee_id)
    verdict = check_feedback(text, embedder=engine.embeddings)
    links = link_text(engine, text, verdict, scope=person_scope(engine, store, employee_id))
    stored = _store_links(engine, store, employee_id, DIRECT, links, principal.person_id or "admin", replace=False)
    return FeedbackGiven(verdict=verdict, evidence=stored)


def link_summary_feedback(engine: Engine, store: Store, note_id: str, by: str) -> list[EvidencePublic]:
    """Link the `feedback` items of a note's stored summary (after it is confirmed); linking again replaces them."""
    note = store.get_note(note_id)
    if not isinstance(note.summary_json, dict):
        raise InvalidInput(f"note_id: note {note_id} has no summary yet", field="note_id")
    links: dict[str, EvidenceLink] = {}
    scope = person_scope(engine, store, note.employee_id)
    for item in note.summary_json.get("feedback") or []:
        if isinstance(item, str) and item.strip():
            for link in link_text(engine, item[:MAX_FEEDBACK_CHARS], scope=scope):
                if link.competency_id not in links or links[link.competency_id].similarity < link.similarity:
                    links[link.competency_id] = link
    return _store_links(engine, store, note.employee_id, note_id, list(links.values()), by, replace=True)


def evidence_view(engine: Engine, store: Store, principal: Principal, employee_id: str) -> list[EvidencePublic]:
    """The employee's evidence for anyone who may see their records."""
    require_access(principal, employee_id)
    return evidence_for(store, employee_id, knowledge=engine.knowledge)
