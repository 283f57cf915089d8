"""Follow-up summaries drafted by an LLM: used only if owners, dates and evidence check out against the notes."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from pydantic import BaseModel, Field

from coach.engine import Engine
from coach.errors import LLMOutputInvalid, LLMUnavailable
from coach.followup.dates import is_asap, resolve_due_date
from coach.followup.linking import competency_linker  # the rules engine's linker, so both engines link alike
from coach.followup.summaries import Commitment, FollowUpSummary, Participant, render_summary
from coach.llm.drafting import draft_with_validation, load_examples, messages, norm, rejection_reason
from coach.llm.provider import LLMProvider

RECAP_SENTENCES = (1, 5)
MIN_EVIDENCE_CHARS = 8
GROUNDED_SHARE = 0.5  # at least half the content words of a summary line must occur in the notes
STEM_CHARS = 5  # "shadowing" and "shadow" share a stem; crude, but it needs no model


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
    wanted = norm(name).lower()
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
    flat_notes = norm(notes)
    names = ", ".join(p.name for p in participants)
    note_stems = set(_stems(notes + " " + names))
    floor = [norm(c.evidence) for c in (rules.commitments if rules else []) if c.owner]

    def validate(draft: DraftSummary) -> list[str]:
        errors: list[str] = []
        sentences = _count_sentences(draft.recap)
        if not RECAP_SENTENCES[0] <= sentences <= RECAP_SENTENCES[1]:
            errors.append(f"recap has {sentences} sentences; write 1 to 5")
        for n, sentence in enumerate(_SENTENCE_SPLIT.split(norm(draft.recap)), 1):
            if _ungrounded(sentence, note_stems):
                errors.append(f"recap sentence {n} ({sentence[:80]!r}) is not supported by these notes")
        for field in ("reflections", "aspirations", "concerns"):
            for n, item in enumerate(getattr(draft, field), 1):
                if _ungrounded(item, note_stems):
                    errors.append(f"{field} item {n} ({item[:80]!r}) is not supported by these notes")
        quoted = [norm(c.evidence) for c in draft.commitments]
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
            evidence = norm(c.evidence)
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
    prompt = messages("summary", notes=_fenced(notes), meeting_date=meeting_date, participants=participants,
                         examples=load_examples("summary"))
    try:
        draft = draft_with_validation(provider, prompt, DraftSummary,
                                      validate_summary(notes, meeting_date, participants, rules=rules))
    except (LLMUnavailable, LLMOutputInvalid) as exc:
        return _with_rejection(rules, rejection_reason(exc))
    if link_competencies is None:
        link_competencies = competency_linker(engine)
    return _to_summary(draft, meeting_date, participants, rules, link_competencies)


def _with_rejection(rules: FollowUpSummary, reason: str) -> FollowUpSummary:
    return rules.model_copy(update={"source": "rules", "llm_rejected": reason})


def _flags(owner: str | None, due: date | None, phrase: str | None) -> list[str]:
    """The same flags the rules engine puts on a commitment a person should check."""
    flags = [] if owner else ["owner unclear"]
    if phrase and is_asap(phrase):
        flags.append("due ASAP (no date)")
    elif due is None:
        flags.append("no due date")
    return flags


def _to_summary(draft: DraftSummary, meeting_date: date, participants: list[Participant], rules: FollowUpSummary,
                link_competencies: Callable[[str], list[str]]) -> FollowUpSummary:
    check_in, _ = _resolve(draft.next_check_in, meeting_date)
    check_in = check_in or rules.next_check_in
    commitments = []
    for c in draft.commitments:
        owner, _ = _owner(c.owner, participants)
        due, _ = _resolve(c.due, meeting_date, check_in)
        phrase = c.due.strip() if c.due and c.due.strip() and not _ISO_DATE.match(c.due.strip()) else None
        evidence = norm(c.evidence)
        competency_ids = link_competencies(c.action)
        commitments.append(Commitment(owner=owner, action=c.action.strip(), due=due, due_phrase=phrase,
                                      success_indicator=(c.success_indicator or "").strip() or None,
                                      competency_ids=list(competency_ids), evidence=evidence,
                                      flags=_flags(owner, due, phrase)))
    summary = rules.model_copy(update={
        "recap": [s for s in _SENTENCE_SPLIT.split(norm(draft.recap)) if s],
        "reflections": [norm(r) for r in draft.reflections if r.strip()],
        "aspirations": [norm(a) for a in draft.aspirations if a.strip()],
        "concerns": [norm(c) for c in draft.concerns if c.strip()], "commitments": commitments,
        "next_check_in": check_in, "source": "llm", "llm_rejected": None,
    })
    # Resources found by the rules engine still quote the notes, so they stay.
    return render_summary(summary, participants=participants, meeting_date=meeting_date)
