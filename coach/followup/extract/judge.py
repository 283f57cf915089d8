"""Keep or drop a candidate commitment, with the reason it was dropped."""

from __future__ import annotations

import re

from coach.followup.extract.cues import (
    _CHECKIN_ACTION,
    _CHECKIN_WORDS,
    _HEDGE,
    _MEET_AGAIN,
    _WAITING,
)
from coach.followup.extract.model import Sentence

# An offer, and the words that turn it down in the same sentence or on the same line.
_OFFER = re.compile(r"\b(?:offered|offer(?:s|ing)?|suggested|proposed)\b", re.IGNORECASE)
_DECLINED = re.compile(r"\b(?:declined|turned\s+(?:it\s+|that\s+|this\s+)?down|said\s+no|not\s+interested|"
                       r"passed\s+on\s+it|(?:would|['’]d)\s+rather\s+(?:wait|not|hold\s+off)|"
                       r"(?:thanks|thank\s+you)\s*,?\s*but\s+(?:no|not)|not\s+yet)\b", re.IGNORECASE)


def segment_reason(sentence: Sentence) -> str | None:
    """Why a whole segment holds no commitment by its place in the notes; None when it may hold one."""
    if sentence.title:
        return "title line"
    if sentence.decoy:
        return "labelled as no action (idea, parked, done, declined or crossed out)"
    if sentence.checkin:
        return "dates the next check-in"
    return None


def declined_offer(lead: str, clause: str, rest_of_line: str) -> str | None:
    """"I offered to put her forward; she declined": an offer turned down is no commitment."""
    if _OFFER.search(lead) and (_DECLINED.search(clause) or _DECLINED.search(rest_of_line)):
        return "an offer that was turned down"
    return None


def drop_reason(action: str, lead: str, owner_text: str | None) -> str | None:
    """Why a candidate (its action and the words before it) is no commitment; None to keep it."""
    if _CHECKIN_ACTION.match(action) or re.match(rf"^(?:the\s+|our\s+)?next\s+{_CHECKIN_WORDS}\b", action, re.IGNORECASE):
        return "the next check-in, not an action"
    if owner_text and owner_text.lower() == "we" and re.match(_MEET_AGAIN, action, re.IGNORECASE):
        return "the next check-in, not an action"  # "We'll meet first week back"
    if _HEDGE.search(action) or _HEDGE.search(lead):
        return "hedged (maybe, depends on, no decision yet)"
    if _WAITING.match(action):
        return "waiting is no action"
    return None
