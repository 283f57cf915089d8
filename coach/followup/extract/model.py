"""The typed objects passed between the stages of the notes extractor."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from coach.followup.dates import DateOrder


@dataclass
class Participantish:
    """The two fields of a participant this module needs (keeps notes.py free of the pydantic models)."""

    name: str
    role: str


@dataclass
class Sentence:
    """One sentence or fragment of the notes, with where it sits."""

    text: str  # an exact slice of the notes, stripped
    body: str  # the text after bullet, marker and label
    label: str | None = None  # "concern", "aspiration"... from a leading "Concern:" label
    action_context: bool = False  # under an "Actions:"/"Next steps:" header, or on an "AI:"/"TODO:" line
    owner_hint: str | None = None  # the name in "AI Julia:" or "TODO Felix:"
    date_hint: str | None = None  # a leading "EOY:" label
    title: bool = False  # the notes' heading line ("Ryan - EOY career conversation")
    checkin: bool = False  # under a "Next check-in" heading or tagged "[NEXT]": it dates the next meeting
    decoy: bool = False  # labelled as no action ("Parked:", "[IDEA]", "TODO (maybe):")
    speaker: str | None = None  # in a transcript, who says this line ("TD: I'll update the plan")
    rest_of_line: str = ""  # what follows this sentence on its line ("I offered ...; she declined")
    date_order: DateOrder = "MDY"  # how the notes write numeric dates ("24/09" elsewhere makes "06/10" day-first)
    before: str = ""  # the sentence before this one: what "by then" in this one may point back to


@dataclass
class ParsedCommitment:
    """A commitment as found in the notes, before it becomes the public model."""

    owner: str | None
    action: str
    due: date | None
    due_phrase: str | None
    success_indicator: str | None
    evidence: str
    flags: list[str] = field(default_factory=list)


@dataclass
class Decision:
    """What became of a candidate commitment: kept, or dropped with the reason."""

    evidence: str  # the segment's exact quote
    action: str | None  # the candidate's action, None when the whole segment was set aside
    kept: bool
    reason: str


# The stage names of the design: a segment is a sentence with its context; a candidate a parsed commitment.
Segment = Sentence
Candidate = ParsedCommitment


BlockKind = Literal["injected", "table_header", "table_rule", "table_row", "done", "text"]


@dataclass
class Block:
    """One non-empty line of the notes and what its layout makes it (a list item, a table row, a done item...)."""

    line: str  # the line as written
    kind: BlockKind
    first: bool = False  # the first line of the notes that says anything: maybe the meeting's title
    bullet: bool = False  # led by a bullet, number, checkbox or emoji
    content_start: int = 0  # where the text starts after its bullet
    cells: list[str] = field(default_factory=list)  # a table row's cells
    columns: dict[str, int] | None = None  # a table row: which column holds owner, action and due
