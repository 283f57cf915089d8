"""Commitments found by an LLM, grounded in code: the model names lines, owners and actions; code does the rest.

What was measured with the old design (a whole summary with evidence quotes, every rules commitment required):
Qwen2.5-Coder-1.5B named owner and action right in 7 of 8 commitments, yet 0 of 10 drafts passed, because it
paraphrased quotes, dropped dates, copied examples and could not remove a false rules commitment. So the model
now only points: for each commitment the numbers of the lines that state it, an owner, an action and the due
phrase as written. Code takes the evidence from those lines verbatim, resolves the date with our own date code,
checks the owner against the participants, drops any invalid item on its own, and merges what is left with the
rules engine's commitments (coach/followup/merge.py) instead of replacing them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from langchain_core.messages import BaseMessage
from pydantic import BaseModel, Field

from coach.engine import Engine
from coach.errors import LLMOutputInvalid, LLMUnavailable
from coach.followup.dates import find_due_phrase, is_asap, resolve_due_date
from coach.followup.extract.owners import Author, OwnerResolver
from coach.followup.linking import competency_linker  # the rules engine's linker, so both engines link alike
from coach.followup.merge import LineCommitment, merge_commitments, overlap_words
from coach.followup.summaries import FollowUpSummary, Participant, render_summary
from coach.llm.drafting import draft_with_validation, load_examples, messages, norm, rejection_reason
from coach.llm.provider import LLMProvider

MAX_ITEMS = 30  # a model that lists more is rambling; the rest is ignored
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Leading list and checkbox markup that is not part of what was said: "- [ ] ", "* ", "1. ", "> ".
_MARKUP = re.compile(r"^\s*(?:[-*+>•]\s*)?(?:\[[ xX]?\]\s*)?(?:\d{1,3}[.)]\s+)?")


class DraftItem(BaseModel):
    """One commitment as the model points at it."""

    lines: list[int] = Field(description="Numbers of the note lines that state this commitment.")
    owner: str | None = Field(None, description="Exactly one participant's name, or null if unclear.")
    action: str = Field(description="What will be done, starting with a verb, in the words of the notes.")
    due: str | None = Field(None, description="The deadline phrase exactly as written in the notes, or null.")
    success: str | None = Field(None, description="How everyone will know it is done, or null.")


class DraftCommitments(BaseModel):
    """The model's answer: commitments by line, lines that are no commitment, and the next check-in phrase."""

    commitments: list[DraftItem] = Field(default_factory=list)
    not_commitments: list[int] = Field(default_factory=list,
                                       description="Lines that look like tasks but are no agreed action.")
    next_check_in: str | None = Field(None, description="The next meeting's date phrase as written, or null.")


@dataclass(frozen=True)
class NumberedNotes:
    """The notes' non-blank lines, numbered from 1 as the prompt shows them."""

    lines: dict[int, str]

    @classmethod
    def of(cls, notes: str) -> "NumberedNotes":
        """Number the non-blank lines (blank ones would only cost tokens)."""
        kept = [line.rstrip() for line in notes.splitlines() if line.strip()]
        return cls({n: line for n, line in enumerate(kept, 1)})

    def render(self) -> str:
        """The lines as the prompt shows them: 'N: text'."""
        return "\n".join(f"{n}: {_fenced(text)}" for n, text in self.lines.items())

    def evidence(self, n: int) -> str:
        """The text of line n without its list markup: an exact substring of the notes."""
        text = self.lines[n]
        return text[_MARKUP.match(text).end():].strip() or text.strip()

    def line_of(self, quote: str) -> int | None:
        """The line a quote from the notes starts on (the rules engine's evidence may span lines)."""
        flat = norm(quote)
        if not flat:
            return None
        head = flat[:40]
        for n, text in self.lines.items():
            if head in norm(text) or norm(text) in flat and len(norm(text)) >= 12:
                return n
        return None


@dataclass
class Dropped:
    """An item the model proposed and code refused, with the reason."""

    index: int
    reason: str


def _fenced(text: str) -> str:
    # A line must not be able to close the notes fence and speak as the prompt.
    return re.sub(r"<\s*/?\s*notes\s*>", lambda m: m.group(0).replace("<", "(").replace(">", ")"), text,
                  flags=re.IGNORECASE)


def resolve_owner(name: str | None, participants: list[Participant]) -> tuple[str | None, bool]:
    """(participant name, ok): exact, @handle, unique first name, or a role named as a person ('manager')."""
    if name is None or not name.strip() or name.strip().lower() in {"null", "none", "unknown", "unclear"}:
        return None, True
    wanted = norm(name).strip("@[]() ").lower()
    for p in participants:
        if p.name.lower() == wanted:
            return p.name, True
    by_first = [p for p in participants if p.name.split()[0].lower() == wanted]
    if len(by_first) == 1:
        return by_first[0].name, True
    by_role = [p for p in participants if p.role == wanted]
    return (by_role[0].name, True) if len(by_role) == 1 else (None, False)


def _due(phrase: str | None, line_text: str, notes_lower: str, meeting_date: date,
         next_check_in: date | None) -> tuple[date | None, str | None]:
    """(date, phrase as written): the model's phrase if the notes contain it, else the line's own date phrase."""
    if phrase and phrase.strip() and phrase.strip().lower() not in {"null", "none"}:
        text = phrase.strip()
        if is_asap(text):
            return None, text
        if text.lower() in notes_lower:
            when = resolve_due_date(text, meeting_date, next_check_in=next_check_in)
            if when is None and _ISO_DATE.match(text):
                when = date.fromisoformat(text)
            if when is not None and when >= meeting_date:
                return when, text
    # An invented or reworded phrase: the dates the line itself states are the truth.
    found = find_due_phrase(line_text) if phrase else None
    if found:
        when = resolve_due_date(found[0], meeting_date, next_check_in=next_check_in)
        if when is not None and when >= meeting_date:
            return when, found[0]
    return None, None


def _line_owners(notes: str, participants: list[Participant], author: Author) -> Callable[[str], str | None]:
    """The owner a line gives, as the learned judge's lines get theirs: a name, handle or tag on the line, "I" as
    the author, a heading that names someone, else the one employee of a 1:1; None when nobody can be named."""
    from coach.followup.extract.model import Participantish
    from coach.followup.judged import owner_and_action
    from coach.followup.learned_judge import note_lines, segment_notes

    owners = OwnerResolver([Participantish(p.name, p.role) for p in participants], notes, author)
    raw = note_lines(notes)
    by_line: dict[str, object] = {}
    for segment in segment_notes(notes):
        by_line.setdefault(raw[segment.line - 1].rstrip(), segment)

    def owner_of(line: str) -> str | None:
        segment = by_line.get(line.rstrip())
        return owner_and_action(segment, owners, participants)[0] if segment is not None else None  # type: ignore[arg-type]
    return owner_of


def ground(draft: DraftCommitments, numbered: NumberedNotes, meeting_date: date, participants: list[Participant],
           next_check_in: date | None, *, notes: str | None = None,
           author: Author = "manager") -> tuple[list[LineCommitment], list[Dropped]]:
    """The model's items that survive the checks, with evidence and dates from code; the rest with reasons.

    A small model often finds the right line and action but answers `owner: null` (Qwen2.5-Coder-1.5B did for all
    6 items of two real notes). Code then reads the owner from the line, as it does for the learned judge's lines;
    an item whose line names nobody and whose notes have no single employee is still dropped."""
    owner_of = _line_owners(notes, participants, author) if notes is not None else None
    kept: list[LineCommitment] = []
    dropped: list[Dropped] = []
    notes_lower = "\n".join(numbered.lines.values()).lower()
    names = ", ".join(p.name for p in participants)
    for index, item in enumerate(draft.commitments[:MAX_ITEMS]):
        lines = [n for n in item.lines if n in numbered.lines]
        if not lines:
            dropped.append(Dropped(index, f"lines {item.lines} are not lines of the notes"))
            continue
        owner, ok = resolve_owner(item.owner, participants)
        if not ok:
            dropped.append(Dropped(index, f"owner {item.owner!r} is not a participant ({names})"))
            continue
        if owner is None and owner_of is not None:
            owner = owner_of(numbered.lines[max(lines, key=lambda n: len(numbered.lines[n]))])
        if owner is None:
            # The rules already propose ownerless lines (most of their false positives on real notes), so an item
            # nobody can own adds only noise.
            dropped.append(Dropped(index, "no owner"))
            continue
        action = norm(item.action).strip(" .;")
        # The action must share words with a line it names: an example copied, or an instruction obeyed, does not.
        best = max(lines, key=lambda n: len(overlap_words(action, numbered.lines[n])))
        if not action or not overlap_words(action, numbered.lines[best]):
            dropped.append(Dropped(index, f"action {item.action[:60]!r} is not what line {best} says"))
            continue
        due, phrase = _due(item.due, numbered.lines[best], notes_lower, meeting_date, next_check_in)
        success = norm(item.success or "").strip() or None
        kept.append(LineCommitment(line=best, owner=owner, action=action[:1].upper() + action[1:], due=due,
                                   due_phrase=phrase, success_indicator=success,
                                   evidence=numbered.evidence(best)))
    return kept, dropped


def compact_schema(schema: type[BaseModel]) -> dict:
    """The JSON schema without titles and descriptions: the prompt explains the fields, tokens are slow here."""
    def strip(value: object) -> object:
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in ("title", "description", "default")}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value
    return strip(schema.model_json_schema())  # type: ignore[return-value]


def _no_checks(_: DraftCommitments) -> list[str]:
    # Items are checked one by one in `ground` and dropped individually; no whole-draft rejection.
    return []


def summary_prompt(notes: str, meeting_date: date, participants: list[Participant]) -> list[BaseMessage]:
    """The system and task messages: numbered, fenced notes, the schema, an example from another domain."""
    return messages("summary", numbered=NumberedNotes.of(notes).render(), meeting_date=meeting_date,
                    participants=participants, schema=compact_schema(DraftCommitments),
                    examples=load_examples("summary"))


def llm_commitments(provider: LLMProvider, notes: str, meeting_date: date,
                    participants: list[Participant]) -> DraftCommitments:
    """Ask the model once for commitments by line number (LLMUnavailable, LLMOutputInvalid on failure)."""
    prompt = summary_prompt(notes, meeting_date, participants)
    return draft_with_validation(provider, prompt, DraftCommitments, _no_checks)


def refine_summary(rules: FollowUpSummary, draft: DraftCommitments, notes: str, meeting_date: date,
                   participants: list[Participant], link_competencies: Callable[[str], list[str]], *,
                   allow_removals: bool = False, author: Author = "manager") -> FollowUpSummary:
    """The rules summary with the model's grounded commitments merged in (source 'rules+llm')."""
    numbered = NumberedNotes.of(notes)
    check_in = rules.next_check_in
    if check_in is None and draft.next_check_in:
        when, _ = _due(draft.next_check_in, "", "\n".join(numbered.lines.values()).lower(), meeting_date, None)
        check_in = when
    kept, dropped = ground(draft, numbered, meeting_date, participants, check_in, notes=notes, author=author)
    removable = set(draft.not_commitments) if allow_removals else set()
    commitments = merge_commitments(rules.commitments, kept, numbered.line_of, link_competencies,
                                    not_commitments=removable)
    note = "; ".join(f"item {d.index + 1}: {d.reason}" for d in dropped[:5]) or None
    summary = rules.model_copy(update={"commitments": commitments, "next_check_in": check_in,
                                       "source": "rules+llm", "llm_rejected": note})
    return render_summary(summary, participants=participants, meeting_date=meeting_date)


def llm_summary(engine: Engine, provider: LLMProvider, notes: str, meeting_date: date,
                participants: list[Participant], rules: FollowUpSummary, *,
                link_competencies: Callable[[str], list[str]] | None = None,
                author: Author = "manager") -> FollowUpSummary:
    """Rules merged with the model's grounded commitments; `rules` with the reason in llm_rejected on failure."""
    try:
        draft = llm_commitments(provider, notes, meeting_date, participants)
    except (LLMUnavailable, LLMOutputInvalid) as exc:
        return rules.model_copy(update={"source": "rules", "llm_rejected": rejection_reason(exc)})
    link = link_competencies or competency_linker(engine)
    return refine_summary(rules, draft, notes, meeting_date, participants, link,
                          allow_removals=engine.settings.llm_summary_removals, author=author)
