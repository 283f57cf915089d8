"""Separates what a person wants from what they want to leave behind in an aspiration.

People describe a move as much by what they are tired of as by what they want: "more people stuff, less
code", "I'd like to stop writing code for a living and get closer to the why", "I get way more out of
watching them level up than from merging my own PRs". A retriever fed the whole sentence finds the roles
they are leaving. `split_aspiration` keeps the two apart so that search runs on the wanted part only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Clause breaks: sentence ends, semicolons, dashes, commas and "but"/"though" (where people turn).
_CLAUSES = re.compile(r"(?<=[.!?;])\s+|\s+[-\u2013\u2014]+\s+|\n+|,\s*|\s+(?:but|though|tho|although|whereas)\s+",
                      re.IGNORECASE)
# Markers after which the rest of the clause is what the person wants less of.
_AWAY_FROM = re.compile(
    r"\b(?:less|fewer|instead of|rather than|than|stop(?:ping)?|quit(?:ting)?|tired of|sick of|fed up with|"
    r"bored (?:of|with)|done (?:with|being)|away from|no more|no longer|move (?:off|out of)|get out of|"
    r"step (?:back|away) from|drop(?:ping)?|burned out (?:on|by)|not (?:really )?into|without)\b",
    re.IGNORECASE)
# Clauses that are wholly about what the person does not want.
_NOT_WANTED = re.compile(
    r"\b(?:don'?t|do not|doesn'?t|never|not sure i|wouldn'?t|won'?t) (?:really )?(?:want|like|enjoy|care for|"
    r"see myself)\b|\b(?:drains?|draining|exhausts?|exhausting|hate|hating|dread)\b|"
    r"\bnot (?:for me|my thing)\b|\bno (?:direct reports|reports|people management)\b",
    re.IGNORECASE)
# Turns that bring the wanted part back after a negative ("not X, more like Y").
_BACK_TO_WANTED = re.compile(r"\b(?:more like|more of|i want|i'd like|i would like|want to|rather|instead)\b",
                             re.IGNORECASE)
# "... and <verb>" after an unwanted part starts a wanted one again.
_TURN = re.compile(r"\b(?:and|so i can|to)\s+(?=(?:get|be|do|go|move|start|spend|work|focus|take|own|lead|build|"
                   r"make|become|talk|help|run|drive|set|shape|decide|grow|coach|manage|design|write|ship)\b)",
                   re.IGNORECASE)
_WORD = re.compile(r"[a-z][a-z'&+-]+", re.IGNORECASE)
MIN_WANTED_WORDS = 2


@dataclass(frozen=True)
class Aspiration:
    """The wanted and unwanted parts of an aspiration, each as text for search."""

    wanted: str
    unwanted: str


def split_aspiration(text: str) -> Aspiration:
    """The wanted part (the whole text when nothing is marked as unwanted) and the unwanted part."""
    wanted: list[str] = []
    unwanted: list[str] = []
    for clause in filter(None, (c.strip() for c in _CLAUSES.split(text))):
        if _NOT_WANTED.search(clause) and not _BACK_TO_WANTED.search(clause[_NOT_WANTED.search(clause).end():]):
            unwanted.append(clause)
            continue
        marker = _AWAY_FROM.search(clause)
        if marker:
            rest = clause[marker.end():]
            turn = _TURN.search(rest)  # "stop writing code and get closer to the why"
            wanted.append(clause[:marker.start()] + (" " + rest[turn.end():] if turn else ""))
            unwanted.append(rest[:turn.start()] if turn else rest)
        else:
            wanted.append(clause)
    kept = " ".join(w for w in wanted if w.strip())
    if len(_WORD.findall(kept)) < MIN_WANTED_WORDS or not unwanted:
        return Aspiration(wanted=text, unwanted=" ".join(unwanted))
    return Aspiration(wanted=kept, unwanted=" ".join(unwanted))
