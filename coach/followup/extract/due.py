"""Due phrases of a commitment and the next check-in, resolved with coach.followup.dates."""

from __future__ import annotations

import re
from datetime import date

from coach.followup.dates import find_due_phrase, is_asap, resolve_due_date
from coach.followup.extract.cues import _CHECKIN_DUE, _EXPLICIT_DATE, CHECKIN, SUCCESS
from coach.followup.extract.model import ParsedCommitment, Sentence

# The writer says a commitment has no date: "no date set yet", "no fixed date", "(no date)".
_NO_DATE = re.compile(r"\bno\s+(?:fixed\s+|firm\s+|hard\s+|set\s+|real\s+)?(?:date|deadline)s?\b|\bundated\b",
                      re.IGNORECASE)


_PAREN = re.compile(r"\(([^()]{4,})\)")


# A parenthesis left with nothing but its lead-in once the date in it is taken out: "(aim for )", "(Weds )".
# So is an aside that said when something is ("(next one is apr 9)" leaves "(next one is )").
_EMPTIED_PAREN = re.compile(r"\s*\(\s*(?:(?:aim(?:ing)?|target(?:ing)?)\s+for|by|due|on|before|latest|"
                            r"[^()]{0,30}\b(?:is|are|was|were)(?:\s+on)?)?\s*\)", re.IGNORECASE)


# "by the dec 15 deadline": the word "deadline" goes with its date.
_DEADLINE_NOUN = re.compile(r"^\s+deadline\b", re.IGNORECASE)


# What someone said about the promise, after it: "take the ML course, he say he finish until end of June".
_TRAILING_REPORT = re.compile(r",\s*(?:he|she|they|I)\s+(?:say|says|said)\b[^,;]*$", re.IGNORECASE)


# A deadline that points back to a date said just before: "applications close Sept 4 and I'll submit it by then",
# "Sam places the order Mon 3/30, I'll check it before it goes out".
_BY_THEN = re.compile(r"\s*\b(?:(?P<then>(?:by|before|until|till)\s+then)\b|"
                      r"before\s+(?:it|that|they)\s+(?:goes|go|is|are|gets|get|happens)\b)", re.IGNORECASE)


def _date_before_then(sentence: Sentence) -> str | None:
    """The last date phrase said before a "by then" in this sentence or the one before it; None if none.
    "before it goes out" points back only within its own sentence: a sentence later it has no date."""
    then = _BY_THEN.search(sentence.body)
    text = sentence.body[:then.start() if then else len(sentence.body)]
    if then and then.group("then"):
        text = f"{sentence.before} {text}"
    last = None
    while found := find_due_phrase(text):
        last, text = found[0], text[found[2]:]
    return last


def _commitment(action: str, owner: str | None, flags: list[str], sentence: Sentence, meeting_date: date,
                next_check_in: date | None) -> ParsedCommitment:
    indicator = None
    success = SUCCESS.search(action)
    if success:
        indicator = success.group("ind").strip(" .;,)")
        action = action[:success.start()]
    found = find_due_phrase(action) or (find_due_phrase(sentence.date_hint) if sentence.date_hint else None)
    if _NO_DATE.search(action):
        found = None  # "lead the workshop in Dec, no date set yet": the writer says there is no date
    phrase = None
    if found:
        phrase, start, end = found
        if find_due_phrase(action) == found and not re.match(r"['’]s\b", action[end:]):
            end += noun.end() if (noun := _DEADLINE_NOUN.match(action[end:])) else 0
            action = action[:start] + " " + action[end:]  # "pitch at Monday's WIP" keeps its event
    elif indicator and (in_indicator := find_due_phrase(indicator)):
        phrase = in_indicator[0]
    elif (then := _BY_THEN.search(action)) and (phrase := _date_before_then(sentence)):
        if then.group("then"):  # "submit it by then": the date it points back to replaces the words
            action = action[:then.start()] + " " + action[then.end():]
    due = None
    if phrase:
        due = resolve_due_date(phrase, meeting_date, next_check_in=next_check_in, date_order=sentence.date_order)
        if is_asap(phrase):
            flags.append("due ASAP (no date)")
        elif due is None:
            flags.append("due date unresolved")
    else:
        flags.append("no due date")
    action = _EMPTIED_PAREN.sub("", action)  # "(aim for end of month)" once its date is taken out
    action = _TRAILING_REPORT.sub("", action)  # "take the course, he say he finish until end of June"
    action = re.sub(r"\s+", " ", action)
    if action.count('"') % 2 or action.count("“") != action.count("”"):
        action = action.strip(' "“”.')  # the closing quote of a quoted promise: 'put together a menu proposal."'
    action = re.sub(r"\s+([,.;:])", r"\1", action).strip(" ,.;:-–—")
    action = re.sub(r"[,;]\s*(?:so|and|then|but)$", "", action).strip(" ,.;:-–—")  # "..., so by Fri 28 Feb"
    action = re.sub(r"\s*[-–—,]\s*(?:owner\s+)?tbd$", "", action, flags=re.IGNORECASE).strip(" ,.;:-–—")
    action = action[:1].upper() + action[1:]
    return ParsedCommitment(owner=owner, action=action, due=due, due_phrase=phrase, success_indicator=indicator,
                            evidence=sentence.text, flags=flags)


def find_next_check_in(sentences: list[Sentence], meeting_date: date) -> date | None:
    """The date of the next meeting: a sentence that states it ("next conversation in two weeks", "f/u 16/12")
    wins over a date inside an action that only mentions the meeting ("send the deck by Fri before our next 1:1");
    among equals, the first."""
    mentioned: date | None = None
    for sentence in sentences:
        if not (sentence.checkin or CHECKIN.search(sentence.body)):
            continue
        text = _CHECKIN_DUE.sub(" ", sentence.body)
        keyword = CHECKIN.search(text)
        # "06/10: our next 1:1": a date label dates the check-in the line names.
        after = text[keyword.end():] if keyword else None
        for kind, candidate in (("after", after if after is not None else text), ("whole", text),
                                ("hint", sentence.date_hint or "")):
            explicit = _EXPLICIT_DATE.search(candidate)
            # "next 1:1 thu 9/25": the calendar date is what the writer checked; the weekday only decorates it.
            found = find_due_phrase(candidate[explicit.start():]) if explicit else None
            found = found or find_due_phrase(candidate)
            if found and not _CHECKIN_DUE.fullmatch(found[0]):
                when = resolve_due_date(found[0], meeting_date, date_order=sentence.date_order)
                if when is not None and when > meeting_date:
                    if _states_the_meeting(sentence, keyword, kind, candidate):
                        return when
                    mentioned = mentioned or when
                    break
    return mentioned


# Between a check-in word and its date, only a few linking words: "next 1:1 on the 3rd", "next conversation in
# two weeks", "let's pick this up again on 28 Jan". More than that and the date belongs to something else.
_LINK = re.compile(r"^[\s:,;.\-–—()*_]*(?:(?:is|will\s+be|on|in|at|around|for|set\s+for|booked\s+for|planned\s+for|"
                   r"scheduled\s+for|then|again|w/c|wc|week\s+of)[\s:,;.\-–—()*_]+){0,3}", re.IGNORECASE)


def _states_the_meeting(sentence: Sentence, keyword: re.Match[str] | None, kind: str, candidate: str) -> bool:
    """Whether the sentence states the next meeting's date, rather than an action's date beside a mention of it."""
    if sentence.checkin or kind == "hint":
        return True
    if keyword is None:
        return False  # the check-in was only a deadline ("by our next 1:1"): the date is the action's
    if kind == "whole":
        return keyword.start() == 0  # "f/u 16/12", "16/12 - next 1:1"
    found = find_due_phrase(candidate)
    lead = _LINK.match(candidate)
    return found is not None and lead is not None and found[1] <= lead.end() + 1
