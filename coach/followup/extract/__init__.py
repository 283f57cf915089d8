"""The notes extractor, in stages with typed objects between them.

layout (lines -> bullets, headings, tables, tags) -> segments (sentences with their section context)
-> candidates (subject, modal, action) -> owners (participants only) -> due (dates) -> judge (keep/drop, why).
Every text handed back as evidence is a slice of the notes, so it is an exact quote. Lines that talk to a
machine ("ignore previous instructions ...") are skipped: notes are data. The vocabulary is vocabulary.yaml.
"""

from coach.followup.extract.candidates import parse_commitments, split_clauses
from coach.followup.extract.cues import CHECKIN, SUCCESS
from coach.followup.extract.due import find_next_check_in
from coach.followup.extract.model import (
           Candidate,
           Decision,
           ParsedCommitment,
           Participantish,
           Segment,
           Sentence,
)
from coach.followup.extract.owners import Author, OwnerResolver
from coach.followup.extract.segments import split_sentences

__all__ = ["CHECKIN", "SUCCESS", "Author", "Candidate", "Decision", "OwnerResolver", "ParsedCommitment", "Participantish",
           "Segment", "Sentence", "find_next_check_in", "parse_commitments", "split_clauses", "split_sentences"]
