"""Separates what a person wants from what they want to leave behind in an aspiration.

People describe a move as much by what they are tired of as by what they want: "more people stuff, less
code", "I'd like to stop writing code for a living and get closer to the why", "I get way more out of
watching them level up than from merging my own PRs". A retriever fed the whole sentence finds the roles
they are leaving. `split_aspiration` keeps the two apart so that search runs on the wanted part only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

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
# Fears and doubts ("scared of losing touch with the code"): a feeling to take up with care, never a wish to
# search for (the words after "scared of" name what the person fears to lose, not where they want to go).
_CONCERN = re.compile(
    r"\b(?:scared|afraid|worried|worr(?:y|ies) (?:is|are)|nervous|anxious|terrified|fear(?:ful)?|"
    r"concerned|uneasy|my worry|the worry|i worry)\b", re.IGNORECASE)
_LEAD = re.compile(r"^(?:but|and|though|although|yet|so|also|still)\s+", re.IGNORECASE)
_WORD = re.compile(r"[a-z][a-z'&+-]+", re.IGNORECASE)
MIN_WANTED_WORDS = 2


@dataclass(frozen=True)
class Aspiration:
    """The wanted and unwanted parts of an aspiration, each as text for search, and the fears voiced in it."""

    wanted: str
    unwanted: str
    concerns: tuple[str, ...] = ()


def split_aspiration(text: str) -> Aspiration:
    """The wanted part (the whole text when nothing is marked as unwanted) and the unwanted part."""
    wanted: list[str] = []
    unwanted: list[str] = []
    concerns: list[str] = []
    for clause in filter(None, (c.strip() for c in _CLAUSES.split(text))):
        if _CONCERN.search(clause):
            concerns.append(_LEAD.sub("", clause).rstrip(".!?;"))
            continue
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
    if len(_WORD.findall(kept)) < MIN_WANTED_WORDS or not (unwanted or concerns):
        return Aspiration(wanted=text, unwanted=" ".join(unwanted), concerns=tuple(concerns))
    return Aspiration(wanted=kept, unwanted=" ".join(unwanted), concerns=tuple(concerns))


AspirationKind = Literal["none", "clear", "exploring", "torn", "stepping-back", "staying", "tired"]
# What kind of aspiration it is decides whether Coach may name a target: only a clear move (or a step back to
# hands-on work) names one; someone unsure or torn is helped to explore, with candidate roles as open options.
_TORN = re.compile(r"\bflip(?:ping)? between\b|\bback and forth\b|\btwo (?:options|paths|directions)\b|\btorn\b|\bcan'?t decide\b|\bdecid\w+ between\b|\bweighing\b|\b(?:between|either)\b.{2,80}\b(?:and|or)\b"
                   r"|\bor (?:stay|keep|remain|go)\b|\bpart of me\b|\bon the fence\b", re.IGNORECASE)
_STEP_BACK = re.compile(
    r"\bstep(?:ping)? (?:back|down|sideways|away)\b|\bback to (?:being an? )?(?:ic\b|individual contributor|coding|"
    r"hands[- ]on|building|the code)|\bmiss (?:building|coding|writing code|being hands[- ]on|hands[- ]on|the code|"
    r"making things)\b|\bless (?:management|managing)\b|\bstop managing\b|\bgo back to\b", re.IGNORECASE)
_STAYING = re.compile(
    r"\bstay(?:ing)? (?:in|where|on|put|here)\b|\bhappy (?:where|in|with) (?:i am|my (?:current )?(?:role|job))\b|"
    r"\bdeepen\b|\bget (?:even )?better at what i do\b|\bnot looking (?:to move|for a (?:move|change))\b|"
    r"\bgrow (?:in|within) (?:my|the) (?:current )?(?:role|job)\b|\bmaster\b", re.IGNORECASE)
_EXPLORING = re.compile(
    r"\bnot sure\b|\bunsure\b|\bdon'?t (?:really )?know\b|\bno idea\b|\bno clue\b|\bfigur\w+ (?:it |things )?out\b|"
    r"\bexplor\w*\b|\bopen to\b|\bsomething (?:new|different|else)\b|\bconfused\b|\blost\b|"
    r"\btired\b(?! of)|\bstuck\b|\bwhat'?s next\b|\bno longer sure\b|\bquestion(?:ing)? whether\b|\bidk\b",
    re.IGNORECASE)
# First person to second, so the person's own words can be said back to them.
_PRONOUNS = [(re.compile(p, re.IGNORECASE), r) for p, r in (
    (r"\bI'm\b", "you're"), (r"\bI am\b", "you are"), (r"\bI've\b", "you've"), (r"\bI'd\b", "you'd"),
    (r"\bI'll\b", "you'll"), (r"\bI\b", "you"), (r"\bmyself\b", "yourself"), (r"\bmy\b", "your"),
    (r"\bmine\b", "yours"), (r"\bme\b", "you"), (r"\bim\b", "you're"))]
_FEELING_FIRST = re.compile(r"^(?:a (?:bit|little) |quite |really |very |kind of |somewhat )?(?:scared|afraid|worried|"
                            r"nervous|anxious|terrified|concerned|uneasy|fearful)\b", re.IGNORECASE)


# Wellbeing first: someone worn out is not asked where they want to go next, but how they are and what would help.
_TIRED = re.compile(
    r"\bexhausted\b|\bdrained\b|\bburn(?:ed|t|ing)?[- ]?out\b|\bcan'?t face\b|\bno energy\b|"
    r"\b(?:don'?t|do not) have the energy\b|\boverwhelmed\b|\brunning on empty\b|\bstretched (?:too )?thin\b|"
    r"\bstruggling\b|\bwiped out\b|\bworn out\b|\bat my limit\b|\bnot coping\b", re.IGNORECASE)


# A clear move says where or when: a move verb, a role word, a title in capitals ("CSM", "AE"), a time frame, or a
# named interest ("interested in management").
_MOVE = re.compile(
    r"\b(?:move|moving|transition\w*|switch\w*|step|get|go|grow)\s+(?:(?:up\s+)?in)?to\b|\bbecom(?:e|ing)\b|"
    r"\b(?:mov|head|work|grow|build)(?:e|es|ed|ing)?\s+towards?\b|"
    r"\bgo(?:ing)? for\b|\bpromot\w+|\bnext (?:level|step|role)\b|\bstep up\b|\blevel up\b|\bapply for\b|"
    r"\bwithin (?:the next )?(?:\d+|a|one|two|three|six|twelve|eighteen) (?:months?|years?)\b|"
    r"\bin (?:the next )?(?:\d+|a|one|two|three|six) (?:months?|years?)\b|\bby (?:next|the end of) \w+|"
    r"\bnext (?:year|quarter|cycle)\b|\binterest(?:ed)? in\b|\bpassion (?:for|is)\b|"
    # a role word said as a destination ("be a data scientist", "into product management", "Staff."), not in passing
    # ("hiring managers who ghost me")
    r"(?:^\W*|\b(?:a|an|the|as|be|become|becoming|to|into|for|senior|junior|lead|staff|principal)\s+)"
    r"(?:[\w-]+\s+){0,2}(?:manager|management|engineer|lead|director|head of|analyst|designer|scientist|architect|"
    r"partner|specialist|consultant|executive|owner|researcher|developer|principal|staff|senior|vp|cto|ceo)s?\b",
    re.IGNORECASE)
_TITLE = re.compile(r"\b[A-Z]{2,4}\b")


def aspiration_kind(text: str) -> AspirationKind:
    """Tired, a clear move, exploring (unsure, open), torn between options, stepping back, or staying and deepening.

    When no pattern speaks, the text is a clear move only if it says where or when (a role, a move, a time frame);
    otherwise it is read as exploring. The old default ("clear") made 59 of 74 misreads on 130 real statements,
    and a clear misreading of an unsure person is the costly one: it names a target they never named."""
    if not _WORD.search(text or ""):
        return "none"
    if _TIRED.search(text):
        return "tired"
    if _TORN.search(text):
        return "torn"
    if _STEP_BACK.search(text):
        return "stepping-back"
    if _STAYING.search(text):
        return "staying"
    if _EXPLORING.search(text):
        return "exploring"
    return "clear" if _MOVE.search(text) or _TITLE.search(text) else "exploring"


def said_back(concern: str) -> str:
    """A voiced fear in second person, to quote back: "I'm scared of losing touch" -> "you're scared of losing touch"."""
    text = concern.strip().rstrip(".!?;:")
    for pattern, replacement in _PRONOUNS:
        text = pattern.sub(replacement, text)
    if _FEELING_FIRST.search(text):
        text = "you're " + text
    return text[0].lower() + text[1:] if text[:2] != text[:2].upper() else text
