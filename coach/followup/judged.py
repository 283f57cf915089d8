"""The rules summary plus what the learned judge finds: lines the rules passed over that read as commitments.

The judge says whether a line is a commitment; code decides the rest, as for the LLM: the owner comes from the
line or its heading and is always a participant (else none), the due date from our own date code, the evidence
is the line itself, quoted exactly.
"""

from __future__ import annotations

import re
from datetime import date

from coach.followup.dates import find_due_phrase, is_asap, resolve_due_date
from coach.followup.extract.model import Participantish
from coach.followup.extract.owners import Author, OwnerResolver
from coach.followup.learned_judge import CommitmentJudge, Embedder, Segment, load_judge, note_lines
from coach.followup.summaries import Commitment, FollowUpSummary, Participant, render_summary

# The rules' ownerless commitments keep no owner: giving them the one employee, as the judge's own lines get, was
# measured to lift real notes 0.03 but cost the synthetic sets up to 0.09, whose writers meant "unclear".
RULES_UNDERSTOOD = 2  # when the rules found this many commitments they understood the notes' habits...
THRESHOLD_WHEN_UNDERSTOOD = 0.7  # ...and the judge adds only lines it is sure of (measured on dev and the 10 sets)
MAX_JUDGED = 25  # a judge that fires on every line of a long note would flood the summary
_HANDLE = re.compile(r"@(?P<h>[\w.-]{2,40})")
_OWNER_TAIL = re.compile(r"[\(\[\-–—:]\s*(?P<name>@?[A-Z][\w.’'-]*(?:\s+[A-Z][\w’'-]*)?)\s*[\)\]]?\s*$")
_LEAD = re.compile(r"^(?:(?:will|shall|to|should|must|needs?\s+to|is\s+going\s+to|going\s+to|['’]ll)\s+)",
                   re.IGNORECASE)
_I = re.compile(r"^(?:I|I['’]ll|I\s+will|I\s+am\s+going\s+to|I\s+need\s+to|I\s+should|I\s+must|my)\b")
_WE = re.compile(r"^(?:we|we['’]ll|let['’]s|us|everyone|all|team)\b", re.IGNORECASE)


def add_judged_commitments(summary: FollowUpSummary, notes: str, meeting_date: date,
                           participants: list[Participant], *, embedder: Embedder, author: Author = "manager",
                           judge: CommitmentJudge | None = None) -> FollowUpSummary:
    """`summary` with a commitment for every line the judge accepts and no rules commitment already quotes."""
    judge = judge or load_judge()
    if judge is None:
        return summary
    understood = len(summary.commitments) >= RULES_UNDERSTOOD
    threshold = max(THRESHOLD_WHEN_UNDERSTOOD, judge.threshold) if understood else judge.threshold
    owners = OwnerResolver([Participantish(p.name, p.role) for p in participants], notes, author)
    covered = [c.evidence for c in summary.commitments if c.evidence]
    lines = note_lines(notes)
    added: list[Commitment] = []
    seen_lines: set[int] = set()
    for segment, probability in judge.judge(notes, embedder):
        if probability < threshold or segment.line in seen_lines or segment.checkbox not in (None, ""):
            continue
        raw = lines[segment.line - 1].strip()
        if not raw or any(raw in quote or quote in raw for quote in covered) or raw not in notes:
            continue
        seen_lines.add(segment.line)
        owner, action = owner_and_action(segment, owners, participants)
        if len(action.split()) < 2:
            continue
        due, due_phrase = _due(segment.text, meeting_date, summary)
        flags = ["found by the learned judge: check it"] + ([] if owner else ["owner unclear"])
        if due is None:
            flags.append("due ASAP (no date)" if due_phrase and is_asap(due_phrase) else "no due date")
        added.append(Commitment(owner=owner, action=action, due=due, due_phrase=due_phrase, success_indicator=None,
                                competency_ids=[], evidence=raw, flags=flags))
        if len(added) >= MAX_JUDGED:
            break
    if not added:
        return summary
    merged = summary.model_copy(update={"commitments": [*summary.commitments, *added]})
    return render_summary(merged, participants=participants, meeting_date=meeting_date)


_NOT_OWNER_BEFORE = re.compile(r"\b(?:with|to|for|from|of|cc|ask|asks|asked|tell|email|e-mail|ping|contact|"
                               r"thank|thanks|by|and|help|helped|via|at)\s*$", re.IGNORECASE)
_OWNER_AFTER = re.compile(r"^\s*(?:will|['’]ll|to|should|shall|must|is\s+going\s+to|needs?\s+to|agreed|"
                          r"volunteered|offered|can|[:\-–—])", re.IGNORECASE)
_TABLE_RULE = re.compile(r"^[\s|:-]+$")


def _mentions(text: str, owners: OwnerResolver) -> list[tuple[str, int, int]]:
    """(participant, start, end) for every participant a word of the text names."""
    found = []
    for word in re.finditer(r"@?[A-Za-z][\w’'.-]*", text):
        if not (word.group(0)[0].isupper() or word.group(0).startswith("@")):
            continue
        name, used = owners.match_name(text[word.start():].lstrip("@"))
        if name and used:
            found.append((name, word.start(), word.start() + used + word.group(0).startswith("@")))
    return found


def _named_owner(text: str, owners: OwnerResolver) -> str | None:
    """The participant the line names as the doer: before "will"/"to"/a colon, or the one name not after "with"."""
    mentions = _mentions(text, owners)
    mentions = [(name, start, end) for name, start, end in mentions if not _NOT_OWNER_BEFORE.search(text[:start])]
    doers = {name for name, _, end in mentions if _OWNER_AFTER.match(text[end:])}
    if len(doers) == 1:
        return doers.pop()
    free = {name for name, _, _ in mentions}
    return free.pop() if len(free) == 1 else None


def _table_row(text: str, owners: OwnerResolver) -> tuple[str | None, str] | None:
    """(owner, action) of a table row: the first cell is the task, a cell naming one participant the owner."""
    if text.count("|") < 2:
        return None
    cells = [c.strip() for c in text.strip().strip("|").split("|")]
    cells = [c for c in cells if c]
    if not cells or _TABLE_RULE.match(text):
        return None
    named = {name for c in cells[1:] for name, start, end in _mentions(c, owners) if end - start >= len(c) - 2}
    return (named.pop() if len(named) == 1 else None), cells[0]


def owner_and_action(segment: Segment, owners: OwnerResolver,
                     participants: list[Participant]) -> tuple[str | None, str]:
    """Who owns the line (a participant or None) and the action with the owner's words taken off."""
    text = segment.text
    by_author = owners.resolve("I")[0]  # whom "I" means: the author's one participant, nobody in shared notes
    row = _table_row(text, owners)
    if row is not None:
        owner, action = row
        return owner or _default_owner(participants), _action(action)
    name, used = owners.match_name(text)
    if name:
        return name, _action(text[used:])
    handle = _HANDLE.search(text)
    if handle:
        name, _ = owners.match_name(handle.group("h"))
        if name:
            return name, _action(_HANDLE.sub("", text))
    tail = _OWNER_TAIL.search(text)
    if tail:
        name, _ = owners.match_name(tail.group("name").lstrip("@"))
        if name:
            return name, _action(text[:tail.start()])
    if _I.match(text):
        return by_author, _action(re.sub(r"^\S+", "", text))
    if _WE.match(text):
        return None, _action(re.sub(r"^\S+", "", text))
    named = _named_owner(text, owners)
    if named:
        return named, _action(text)
    heading_name, _ = owners.match_name(segment.heading) if segment.heading else (None, 0)
    if heading_name is None and segment.heading:
        for word in re.findall(r"[A-Z][\w’'-]+", segment.heading):
            heading_name, _ = owners.match_name(word)
            if heading_name:
                break
    if heading_name:
        return heading_name, _action(text)
    if segment.heading and re.search(r"\b(?:I|my|me)\b", segment.heading):
        return by_author, _action(text)
    return _default_owner(participants), _action(text)


def _default_owner(participants: list[Participant]) -> str | None:
    """An unassigned action in a conversation with one employee (a 1:1, a supervision with two supervisors) is that
    employee's: managers' notes list the report's homework, and a student's log lists their own. In a group with
    several employees nobody can be named."""
    employees = [p.name for p in participants if p.role == "employee"]
    return employees[0] if len(employees) == 1 else None


def _action(text: str) -> str:
    text = re.sub(r"^[\s,:;.\-–—)]+", "", text)
    text = _LEAD.sub("", text)
    return " ".join(text.split()).rstrip(" .;,")[:200]


def _due(text: str, meeting_date: date, summary: FollowUpSummary) -> tuple[date | None, str | None]:
    found = find_due_phrase(text)
    if not found:
        return None, None
    phrase = found[0]
    return resolve_due_date(phrase, meeting_date, next_check_in=summary.next_check_in), phrase
