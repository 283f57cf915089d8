"""Merge the model's commitments with the rules engine's, by line and by action, each keeping its source.

Not a floor: the old rule that a model draft must repeat every rules commitment stopped it from ever
removing a false one and rejected whole drafts for one miss. Here the rules' commitments stay unless the
model explicitly lists their line as "not a commitment" (and only when removals are switched on), and the
model's commitments are added when no rules commitment already says the same thing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from coach.followup.dates import is_asap
from coach.followup.summaries import Commitment

STEM_CHARS = 5  # "shadowing" and "shadow" share a stem; crude, but it needs no model
_WORD = re.compile(r"[a-z0-9][a-z0-9'+#-]{2,}")
_STOP = frozenset("""the and for with from her his their him them she they its our your will that this into about
per all are was were has have had been being would could should can get got make made also just then than
some any each more most very what when where which while who whom how why not now out over under after
before again until by to of in on at as or an is be it we you me my""".split())


@dataclass
class LineCommitment:
    """A commitment the model found, already grounded: evidence is line `line` of the notes, verbatim."""

    line: int
    owner: str | None
    action: str
    due: date | None
    due_phrase: str | None
    success_indicator: str | None
    evidence: str


def overlap_words(a: str, b: str) -> set[str]:
    """The content-word stems two texts share."""
    def stems(text: str) -> set[str]:
        return {w[:STEM_CHARS] for w in _WORD.findall(text.lower()) if w not in _STOP}
    return stems(a) & stems(b)


def _flags(owner: str | None, due: date | None, phrase: str | None) -> list[str]:
    """The same flags the rules engine puts on a commitment a person should check."""
    flags = [] if owner else ["owner unclear"]
    if phrase and is_asap(phrase):
        flags.append("due ASAP (no date)")
    elif due is None:
        flags.append("no due date")
    return flags


def _same(rules: Commitment, rules_line: int | None, item: LineCommitment) -> int:
    """How strongly a rules commitment and a model item say the same thing (0: not the same)."""
    words = len(overlap_words(rules.action, item.action))
    owners_agree = rules.owner is None or item.owner is None or rules.owner == item.owner
    if rules_line == item.line and owners_agree:
        return 10 + words  # the same line and no conflicting owner: the same promise, however worded
    if owners_agree and words >= 2:
        return words  # the same action stated twice (a summary line and its detail)
    return 0


def merge_commitments(rules: list[Commitment], found: list[LineCommitment],
                      line_of: Callable[[str], int | None], link_competencies: Callable[[str], list[str]], *,
                      not_commitments: set[int] | None = None) -> list[Commitment]:
    """Rules commitments (source 'rules', or 'both' when the model agrees) plus the model's new ones ('llm')."""
    removable = not_commitments or set()
    found_lines = {item.line for item in found}
    merged: list[Commitment] = []
    lines: list[int | None] = []
    for c in rules:
        line = line_of(c.evidence)
        if line is not None and line in removable and line not in found_lines:
            continue  # the model said explicitly that this line holds no commitment
        merged.append(c.model_copy(update={"source": "rules"}))
        lines.append(line)
    added: list[LineCommitment] = []
    for item in found:
        scores = [(_same(c, lines[i], item), i) for i, c in enumerate(merged) if c.source != "llm"]
        score, best = max(scores, default=(0, -1))
        if score:
            c = merged[best]
            owner = c.owner or item.owner
            due, phrase = (c.due, c.due_phrase) if c.due else (item.due or c.due, item.due_phrase or c.due_phrase)
            merged[best] = c.model_copy(update={
                "source": "both", "owner": owner, "due": due, "due_phrase": phrase,
                "success_indicator": c.success_indicator or item.success_indicator,
                "flags": _flags(owner, due, phrase) + [f for f in c.flags if f not in
                                                       ("owner unclear", "no due date", "due ASAP (no date)")]})
            continue
        if any(a.line == item.line and (a.owner == item.owner or overlap_words(a.action, item.action))
               for a in added):
            continue  # the model listed the same promise twice
        added.append(item)
        merged.append(Commitment(owner=item.owner, action=item.action, due=item.due, due_phrase=item.due_phrase,
                                 success_indicator=item.success_indicator,
                                 competency_ids=list(link_competencies(item.action)), evidence=item.evidence,
                                 flags=_flags(item.owner, item.due, item.due_phrase), source="llm"))
        lines.append(item.line)
    return merged
