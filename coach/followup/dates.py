"""Due dates in meeting notes: find the phrase in running text, resolve it against the meeting date.

dateparser resolves plain calendar forms ("Sept 30", "12/15", "2026-12-01") but returns nothing for
"end of March", "within 3 weeks" or "Q3", and its `search_dates` misreads running text, so the
phrase is found with our own patterns and the forms it misses are normalised here first.
Conventions (documented so the eval's gold and the code agree):
- "next <weekday>" is that weekday in the calendar week after the meeting's week (Monday-based);
  a bare weekday ("by Friday") is its next occurrence strictly after the meeting.
- "this week"/"EOW" is this week's Friday, "next week" next week's Friday; "same time next week" is
  seven days after the meeting.
- "this month", "next month", "in May", "end of May" mean the last day of that month; "mid-May" the 15th.
- "Q3", "end of Q3" mean the quarter's last day; "EOY" is 31 December.
- A month or quarter without a year is its next occurrence that ends on or after the meeting.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta
from typing import Literal

from dateutil.relativedelta import relativedelta

DateOrder = Literal["MDY", "DMY", "YMD"]

_MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4, "may": 5,
    "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9,
    "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}
_WEEKDAYS = {
    "mon": 0, "monday": 0, "tue": 1, "tues": 1, "tuesday": 1, "wed": 2, "weds": 2, "wednesday": 2, "thu": 3, "thur": 3,
    "thurs": 3, "thursday": 3, "fri": 4, "friday": 4, "saturday": 5, "sunday": 6,
}
_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
            "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "a couple of": 2, "couple of": 2,
            "a few": 3, "few": 3}

_MONTH = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|" \
         r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
# Sat/Sun abbreviations are left out: "sat" is a verb far more often than a day in notes.
_WEEKDAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues?|weds?|thu(?:rs?)?|fri)"
_ORD = r"(?:st|nd|rd|th)"
_NUM = r"(?:\d{1,3}|a couple of|couple of|a few|few|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_UNIT = r"(?:days?|weeks?|wks?|months?|mos?|years?|yrs?)"
_CHECKIN = r"(?:check[- ]?ins?|chk[- ]?ins?|1[:-]1s?|one[- ]on[- ]ones?|catch[- ]?ups?|follow[- ]?ups?|meetings?|" \
           r"conversations?|sessions?|syncs?|sit[- ]?downs?|" \
           r"reviews?(?!\s+(?:cycles?|periods?|rounds?|windows?|process)\b))"
# A calendar day in a weekday-led date ("Fri 23 Jan", "fri 18th", "Friday the 25th", "Tue (4 Nov)", "wed 4/16").
_DAY_DATE = rf"(?:\d{{1,2}}{_ORD}?\s+(?:of\s+)?{_MONTH}|(?:the\s+)?\d{{1,2}}{_ORD}|{_MONTH}\s+\d{{1,2}}{_ORD}?|" \
            r"\d{1,2}/\d{1,2}(?:/\d{2,4})?)"
# "latest on Friday" (the latest day it may happen) is a deadline too.
_DEADLINE = r"(?:by|before|due(?: by| on)?|until|till|no later than|not later than|latest(?: by| on)?|b4|on|at)"

# "COB Weds", "EOD on Friday": the end of that day, which is that day.
_END_OF_DAY = r"(?:cob|eod|close\s+of\s+business|end\s+of\s+(?:the\s+)?day)"
# A span of a month with no single day ("the first week of April"): a time, but no date to resolve.
_PART_OF_MONTH = rf"(?:the\s+)?(?:first|second|third|fourth|last|1st|2nd|3rd|4th)\s+(?:week|fortnight|half)\s+" \
                 rf"of\s+{_MONTH}"

# Longest, most specific forms first; the regex engine takes the first alternative that fits.
_FORMS = [
    rf"(?:the\s+|our\s+)?next\s+{_CHECKIN}",
    rf"{_END_OF_DAY}\s+(?:on\s+)?(?:(?:this|next)\s+)?{_WEEKDAY}",
    rf"{_WEEKDAY}\s+(?:of\s+)?(?:next|this)\s+(?:week|wk)",
    _PART_OF_MONTH,
    rf"(?:(?:this|next)\s+)?(?:coming\s+)?{_WEEKDAY}\.?,?\s+(?:{_DAY_DATE}|\(\s*{_DAY_DATE}\s*\))",
    r"asap|as soon as possible",
    r"\d{4}-\d{2}-\d{2}",
    rf"(?:the\s+)?end\s+of\s+(?:the\s+|this\s+|next\s+)?(?:month|week|wk|quarter|qtr|year|yr|day|today)",
    rf"(?:the\s+)?end\s+of\s+{_MONTH}(?:\s+\d{{4}})?",
    rf"(?:the\s+)?end\s+of\s+(?:q[1-4])(?:\s+\d{{4}})?",
    r"(?:the\s+)?end\s+of\s+\d{4}",
    rf"mid[- ]?{_MONTH}",
    r"eo[dwmqy]|cob|month[- ]end|quarter[- ]end|year[- ]end",
    rf"{_MONTH}\s+\d{{1,2}}{_ORD}?(?:,?\s+\d{{4}})?",
    rf"\d{{1,2}}{_ORD}?\s+(?:of\s+)?{_MONTH}(?:,?\s+\d{{4}})?",
    rf"the\s+\d{{1,2}}{_ORD}",
    r"\d{1,2}/\d{1,2}(?:/\d{2,4})?",
    # "over the next month", "over the coming two weeks": a window from the meeting, done by its end.
    rf"over\s+the\s+(?:next|coming)\s+(?:{_NUM}\s+)?{_UNIT}|over\s+the\s+(?:next|coming)\s+fortnight",
    rf"(?:within|in)\s+(?:the\s+next\s+)?{_NUM}\s+{_UNIT}(?:'?s?\s+time)?|{_NUM}\s+{_UNIT}\s+from\s+(?:now|today)",
    r"(?:within|in)\s+a\s+fortnight",
    r"(?:(?:the\s+)?same\s+(?:time|day)|this\s+time)\s+next\s+week|a\s+week\s+(?:today|from\s+today)",
    rf"(?:next|this)\s+(?:coming\s+)?(?:week|wk|month|quarter|qtr|year|yr|{_WEEKDAY})",
    r"day\s+after\s+tomorrow|tomorrow|tmrw|tmr|tmw|today|tonight",
    rf"q[1-4](?:\s+\d{{4}})?",
    rf"{_WEEKDAY}",
    rf"{_MONTH}(?:\s+\d{{4}})?",
]
# Bare quarters and months need a preposition before them ("in Q1", "by June"): "the Q4 release" or
# "the Oct all-hands" name an event, not a deadline.
_NEEDS_PREPOSITION = re.compile(rf"^(?:q[1-4](?:\s+\d{{4}})?|{_MONTH}(?:\s+\d{{4}})?)$", re.IGNORECASE)
# "the next check-in" ("our next 1:1") is a deadline only after "by", "before" or "at"; elsewhere it names the meeting.
_CHECKIN_PHRASE = re.compile(rf"^(?:the\s+|our\s+)?next\s+{_CHECKIN}$", re.IGNORECASE)
_PREPOSITION_BEFORE = re.compile(r"(?:(?<![\w-])(?:by|before|in|during|until|till|for|b4|within|due|at)\s+)$",
                                 re.IGNORECASE)
_DEADLINE_BEFORE = re.compile(rf"(?<![\w-]){_DEADLINE}\s+(?:the\s+)?$", re.IGNORECASE)
# "for the next month" is a duration, not a deadline; "during Q4" is a deadline (the period's end), so
# "during" counts as a duration only before a span ("during the next 2 weeks").
# "aim for end of month", "targeting for Q3": a target, not a duration.
_DURATION_BEFORE = re.compile(r"(?<!\baim\s)(?<!\baims\s)(?<!\baiming\s)(?<!\btarget\s)(?<!\btargeting\s)"
                              r"\b(?:for|over|throughout|from|starting|since|last)\s+(?:the\s+)?$|"
                              r"\bduring\s+the\s+$|\b(?:starting|beginning)\s+(?:in|on|from)\s+(?:the\s+)?$",
                              re.IGNORECASE)
# A span counted from some other event ("within 2 days of receiving it") is no deadline from the meeting.
_EVENT_AFTER = re.compile(r"^\s+(?:of|after|from)\b(?!\s+(?:now|today|the\s+meeting|this\s+meeting)\b)",
                          re.IGNORECASE)
# A weekday that names a recurring slot ("thurs afternoons", "every Monday", "the tues standups"), not a deadline.
_RECURRING_AFTER = re.compile(r"^\s+(?:mornings|afternoons|evenings|nights|stand-?ups?|syncs|meetings|calls|"
                              r"sessions|1:1s)\b", re.IGNORECASE)
_RECURRING_BEFORE = re.compile(r"(?<![\w-])(?:every|each|the|our|their|his|her)\s+$", re.IGNORECASE)
# A date right after an event names when the event happens, not a deadline for the action: "apply for a rotation
# in Q2", "register for the conference in March", "book travel for the offsite on the 12th". A deadline needs its
# own form ("by", "before", "due"...). When the action is done at the event or before it ("present at the all-hands
# on the 18th", "bring him to the QBR on 23 July", "before the offsite on 30 July"), the event's date is its due date.
_EVENT_BEFORE = re.compile(r"\b(?:rotations?|conferences?|confs?|off-?sites?|on-?sites?|summits?|all-?hands|"
                           r"town\s?halls?|meetups?|retreats?|hackathons?|kick-?offs?|trips?|secondments?|"
                           r"internships?|sabbaticals?|cohorts?|events?|fairs?|expos?|away\s?days?|qbrs?|"
                           r"(?:review|promo(?:tion)?|performance)\s+(?:cycles?|rounds?))"
                           # "a rotation on the platform team in Q2": where the event is, then when
                           r"(?:\s+(?:on|with|into)\s+(?:the\s+)?[\w-]+(?:\s+[\w-]+)?)?"
                           r"(?:\s+\([^()]*\))?\s+(?:(?:in|on|at|during)\s+(?:the\s+)?)?$", re.IGNORECASE)
_AT_OR_BEFORE_EVENT = re.compile(r"(?<![\w-])(?:at|to|into|during|before|by|until|till|ahead\s+of|prior\s+to)\s+"
                                 r"(?:(?:the|a|an|our|his|her|their|this|next|[\w-]+['’]s)\s+)?(?:[\w&-]+\s+){0,2}$",
                                 re.IGNORECASE)


def _names_an_event(before: str) -> bool:
    """Whether the text before a date ends with an event the action is not done at ("a rotation in")."""
    event = _EVENT_BEFORE.search(before)
    if not event:
        return False
    return not _AT_OR_BEFORE_EVENT.search(before[:event.start()])


# A month or span after a recurring slot is when the slots fall, not a deadline: "her Saturday mornings in November".
_RECURRING_SPAN_BEFORE = re.compile(r"\b(?:mornings|afternoons|evenings|nights|weekends|"
                                    r"(?:mon|tues|wednes|thurs|fri|satur|sun)days)\s+"
                                    r"(?:in|during|through)\s+(?:the\s+)?$", re.IGNORECASE)
# A specific day ("the 15th", "March 3", "3/15", a weekday): "for the 15th" is a target date, not a duration.
_SPECIFIC_DAY = re.compile(rf"^(?:\d{{4}}-\d{{2}}-\d{{2}}|{_MONTH}\s+\d{{1,2}}{_ORD}?(?:,?\s+\d{{4}})?|"
                           rf"\d{{1,2}}{_ORD}?\s+(?:of\s+)?{_MONTH}(?:,?\s+\d{{4}})?|the\s+\d{{1,2}}{_ORD}|"
                           rf"\d{{1,2}}/\d{{1,2}}(?:/\d{{2,4}})?|(?:(?:this|next)\s+)?(?:coming\s+)?{_WEEKDAY}\b.*)$",
                           re.IGNORECASE)
# A weekday that only decorates a calendar date ("Fri 23 Jan", "Tue (4 Nov)"): the date is what counts.
_WEEKDAY_PREFIX = re.compile(rf"^(?:(?:this|next)\s+)?(?:coming\s+)?{_WEEKDAY}\.?,?\s+(?=\(?\s*(?:the\s+)?\d|"
                             rf"\(?\s*{_MONTH}\s+\d)", re.IGNORECASE)
_PHRASE = re.compile(rf"(?<![\w/-])(?:{'|'.join(_FORMS)})(?![\w/]|-\w)", re.IGNORECASE)
# A loose phrase that the writer pins down with a date in brackets: "due end of sprint (Fri 28th)",
# "by Friday next week (30 May)", "by next 1:1 (18 Aug)": the date in brackets is the due date.
_LOOSE = rf"(?:the\s+)?(?:end|start|close|middle)\s+of\s+(?:the\s+|this\s+|next\s+)?[\w-]+|" \
         rf"(?:the\s+|our\s+)?next\s+[\w:-]+(?:\s+[\w:-]+)?|{_WEEKDAY}(?:\s+(?:of\s+)?(?:next|this)\s+week)?|" \
         r"(?:this|next)\s+(?:week|month|term|sprint)"
_PINNED = re.compile(rf"(?<![\w-])(?P<lead>{_DEADLINE})\s+(?:{_LOOSE})\s*\(\s*(?P<date>[^()]{{3,30}}?)\s*\)",
                     re.IGNORECASE)
_NUMERIC_DATE = re.compile(r"(?<![\w/.])(\d{1,2})/(\d{1,2})(?:/\d{2,4})?(?![\w/])")
# A month, quarter or year in the possessive names what belongs to it ("this year's budget"), not a deadline.
_PERIOD = re.compile(r"(?:week|wk|month|quarter|qtr|year|yr)$", re.IGNORECASE)
_POSSESSIVE_AFTER = re.compile(r"^['’]s\b")
_BY_BEFORE = re.compile(r"(?<![\w-])(?:by|before|until|till|due)\s+(?:the\s+)?$", re.IGNORECASE)
_ASAP = re.compile(r"^(?:asap|as soon as possible)$", re.IGNORECASE)
_LEAD = re.compile(rf"^(?:{_DEADLINE}|in|within|during|for)\s+(?:the\s+)?", re.IGNORECASE)


def is_asap(phrase: str) -> bool:
    """Whether the phrase means "as soon as possible" (urgent, but no date)."""
    return bool(_ASAP.match(_strip_lead(phrase)))


def find_due_phrase(text: str) -> tuple[str, int, int] | None:
    """The due-date phrase in a sentence and its span, with its preposition ("by Friday"); None if none."""
    pinned = _pinned(text)
    if pinned:
        return pinned
    candidates: list[tuple[int, int, int]] = []
    for match in _PHRASE.finditer(text):
        start, end = match.span()
        before, after = text[:start], text[end:]
        if _POSSESSIVE_AFTER.match(after) and _PERIOD.search(match.group(0)) and \
                not re.search(r"week|wk", match.group(0), re.IGNORECASE) and not _BY_BEFORE.search(before):
            continue  # "fits in this year's training budget" (but "by next month's offsite" is a deadline)
        duration = _DURATION_BEFORE.search(before)
        target = duration and duration.group(0).lower().startswith("for") and _SPECIFIC_DAY.match(match.group(0))
        if duration and not target:
            continue
        if _NEEDS_PREPOSITION.match(match.group(0)) and not _PREPOSITION_BEFORE.search(before) and \
                not (before.endswith("(") and after.startswith(")")):  # "own the revamp (Q4)"
            continue
        if re.match(r"^\d|^(?:within|in)\b", match.group(0), re.IGNORECASE) and _EVENT_AFTER.match(after):
            continue
        deadline = _DEADLINE_BEFORE.search(before)
        if re.fullmatch(_WEEKDAY, match.group(0), re.IGNORECASE) and not deadline and (
                _RECURRING_AFTER.match(after) or _RECURRING_BEFORE.search(before)):
            continue
        if _CHECKIN_PHRASE.match(match.group(0)) and not deadline:
            continue
        if _RECURRING_SPAN_BEFORE.search(before) or _names_an_event(before):
            continue
        if deadline:
            start = deadline.start()
        elif target and duration:
            start = duration.start()
        elif (lead := re.search(r"(?<![\w-])(?:in|within|during)\s+(?:the\s+)?$", before, re.IGNORECASE)) and not \
                match.group(0).lower().startswith(("in ", "within ")):
            start = lead.start()
        if re.fullmatch(r"\d{1,2}/\d{1,2}(?:/\d{2,4})?", match.group(0)) and (
                not _valid_numeric(match.group(0)) or match.group(0) == "24/7"):  # "24/7 support" is an idiom
            continue
        candidates.append((0 if deadline else 1, start, end))
    if not candidates:
        return None
    # A phrase led by a deadline word ("by", "before", "due") beats one that is merely mentioned.
    _, start, end = min(candidates, key=lambda c: (c[0], c[1]))
    if text[end - 1] == ".":
        end -= 1  # the full stop ends the sentence; "Sept" resolves without it
    return text[start:end], start, end


def infer_date_order(text: str) -> DateOrder:
    """"DMY" when the text writes a numeric date that can only be day-first ("24/09") and none that can only be
    month-first ("09/24"); "MDY" otherwise. The writer's own dates settle what "06/10" means."""
    pairs = [(int(a), int(b)) for a, b in _NUMERIC_DATE.findall(text)]
    day_first = any(a > 12 >= b >= 1 for a, b in pairs)
    month_first = any(b > 12 >= a >= 1 for a, b in pairs)
    return "DMY" if day_first and not month_first else "MDY"


def _pinned(text: str) -> tuple[str, int, int] | None:
    """A loose deadline pinned down by a date in brackets ("by the end of term (Fri 17th)"); None if none."""
    for match in _PINNED.finditer(text):
        inner = _PHRASE.fullmatch(match.group("date").strip())
        if inner and not _CHECKIN_PHRASE.match(inner.group(0)):
            return match.group(0), match.start(), match.end()
    return None


def resolve_due_date(phrase: str, meeting_date: date, *, next_check_in: date | None = None,
                     date_order: DateOrder = "MDY") -> date | None:
    """The date a due phrase means, on or after the meeting; None for ASAP or what cannot be resolved."""
    pinned = _PINNED.fullmatch(" ".join(phrase.split()))
    if pinned:  # "by Friday next week (30 May)": the date in brackets is what the writer checked
        phrase = pinned.group("date")
    text = _SHORTHAND.sub(lambda m: _SHORT[m.group(0)], " ".join(phrase.lower().split()).strip(" .,;:!?()-–—\"'"))
    # "over the next month" is "within a month" ("over the next two weeks": "within two weeks").
    text = re.sub(rf"^over the (?:next|coming) (?=(?:{_NUM} )?{_UNIT}$|fortnight$)", "within ", text)
    text = re.sub(rf"^within (?={_UNIT}$|fortnight$)", "within a ", text)
    text = _strip_lead(re.sub(r"^(in|within) the next ", r"\1 ", text))  # "in the next 2 weeks" = "in 2 weeks"
    text = _WEEKDAY_PREFIX.sub("", text).strip("() ")
    text = re.sub(rf"^{_END_OF_DAY}\s+(?:on\s+)?(?=\S)", "", text)  # "cob weds" is Wednesday
    text = re.sub(rf"^({_WEEKDAY})\s+(?:of\s+)?(next|this)\s+(?:week|wk)$", r"\2 \1", text)  # "friday next week"
    if re.fullmatch(_PART_OF_MONTH, text):
        return None  # "the first week of April" is a span with no one date
    text = re.sub(r"^(this|next)?\s*coming\s+", lambda m: f"{m.group(1) or 'this'} ", text)  # "this coming Tue"
    if not text or _ASAP.match(text):
        return None
    if re.fullmatch(r"\d{1,2}/\d{1,2}(?:/\d{2,4})?", text):
        # Numeric dates follow the configured order, never dateparser's guess ("24/7" is no date in MDY).
        resolved: date | None = _numeric(text, meeting_date, date_order)
    else:
        resolved = _normalised(text, meeting_date, next_check_in)
        if resolved is None:
            resolved = _with_dateparser(text, meeting_date, date_order)
    if resolved is _UNRESOLVED:
        return None
    if resolved is None or resolved < meeting_date:
        return None
    return resolved


# --- internals ----------------------------------------------------------------------------------

# Shorthand managers type: "next wk", "this qtr", "end of yr".
_SHORT = {"wk": "week", "qtr": "quarter", "yr": "year"}
_SHORTHAND = re.compile(r"\b(?:wk|qtr|yr)\b")
_UNRESOLVED = date.min  # a form we recognise that has no date here ("before the next check-in", none set)


def _strip_lead(text: str) -> str:
    text = text.strip()
    while True:
        stripped = _LEAD.sub("", text, count=1)
        if stripped == text or not stripped:
            return text
        # "in 3 weeks" and "within a month" keep their preposition: it is part of the form.
        if re.match(rf"^{_NUM}\s+{_UNIT}|^a\s+fortnight", stripped) and re.match(r"^(?:in|within)\b", text):
            return text
        text = stripped


def _valid_numeric(text: str) -> bool:
    parts = [int(p) for p in text.split("/")[:2]]
    return all(1 <= p <= 31 for p in parts) and min(parts) <= 12


def _numeric(text: str, meeting: date, date_order: DateOrder) -> date | None:
    """"3/4" or "3/4/26" in the configured order; without a year, the next occurrence."""
    parts = [int(p) for p in text.split("/")]
    month, day = (parts[1], parts[0]) if date_order == "DMY" else (parts[0], parts[1])
    if month > 12 >= day:  # "26/3" can only be day-first, whatever the setting
        month, day = day, month
    year = parts[2] if len(parts) == 3 else None
    if year is not None and year < 100:
        year += 2000
    try:
        candidate = date(year or meeting.year, month, day)
    except ValueError:
        return None
    if year is None and candidate < meeting:
        try:
            candidate = candidate.replace(year=candidate.year + 1)
        except ValueError:
            return None
    return candidate


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _next_month_end(month: int, meeting: date, year: int | None = None) -> date:
    if year is not None:
        return _month_end(year, month)
    end = _month_end(meeting.year, month)
    return end if end >= meeting else _month_end(meeting.year + 1, month)


def _quarter_end(quarter: int, meeting: date, year: int | None = None) -> date:
    if year is not None:
        return _month_end(year, quarter * 3)
    end = _month_end(meeting.year, quarter * 3)
    return end if end >= meeting else _month_end(meeting.year + 1, quarter * 3)


def _friday_of_week(day: date, weeks_ahead: int) -> date:
    friday = day - timedelta(days=day.weekday()) + timedelta(days=4 + 7 * weeks_ahead)
    return friday if friday >= day else friday + timedelta(days=7)


def _count(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBERS[word]


def _normalised(text: str, meeting: date, next_check_in: date | None) -> date | None:
    """The forms dateparser misses or reads differently; None hands the phrase on to dateparser."""
    text = re.sub(r"^(?:the|our)\s+", "", text)  # "by our next 1:1" is the next check-in too
    if re.fullmatch(rf"(?:the\s+)?next\s+{_CHECKIN}", text):
        return next_check_in if next_check_in is not None else _UNRESOLVED
    if text in {"today", "tonight", "eod", "cob", "end of day", "end of today", "end of the day"}:
        return meeting
    if text in {"tomorrow", "tmrw", "tmr", "tmw"}:
        return meeting + timedelta(days=1)
    if text == "day after tomorrow":
        return meeting + timedelta(days=2)
    if text in {"this week", "end of week", "end of the week", "end of this week", "eow"}:
        return _friday_of_week(meeting, 0)
    if re.fullmatch(r"(?:same\s+(?:time|day)|this\s+time)\s+next\s+week|a\s+week\s+(?:today|from\s+today)", text):
        return meeting + timedelta(days=7)  # "same time next week": the meeting's weekday, a week on
    if text in {"next week", "end of next week"}:
        return _friday_of_week(meeting, 1)
    if text in {"this month", "end of month", "end of the month", "end of this month", "eom", "month end",
                "month-end"}:
        return _month_end(meeting.year, meeting.month)
    if text in {"next month", "end of next month"}:
        following = meeting + relativedelta(months=1)
        return _month_end(following.year, following.month)
    current_quarter = (meeting.month - 1) // 3 + 1
    if text in {"this quarter", "end of quarter", "end of the quarter", "end of this quarter", "eoq",
                "quarter end", "quarter-end"}:
        return _quarter_end(current_quarter, meeting)
    if text in {"next quarter", "end of next quarter"}:
        later = meeting + relativedelta(months=3)
        return _quarter_end((later.month - 1) // 3 + 1, later)
    if text in {"this year", "end of year", "end of the year", "end of this year", "eoy", "year end", "year-end"}:
        return date(meeting.year, 12, 31)
    if text in {"next year", "end of next year"}:
        return date(meeting.year + 1, 12, 31)
    if m := re.fullmatch(r"(?:end\s+of\s+)?q([1-4])(?:\s+(\d{4}))?", text):
        return _quarter_end(int(m.group(1)), meeting, int(m.group(2)) if m.group(2) else None)
    if m := re.fullmatch(r"end\s+of\s+(\d{4})", text):
        return date(int(m.group(1)), 12, 31)
    if m := re.fullmatch(rf"(?:end\s+of\s+)?({_MONTH})(?:\s+(\d{{4}}))?", text):
        return _next_month_end(_MONTHS[m.group(1).rstrip(".")], meeting, int(m.group(2)) if m.group(2) else None)
    if m := re.fullmatch(rf"mid[- ]?({_MONTH})", text):
        month = _MONTHS[m.group(1).rstrip(".")]
        year = meeting.year if date(meeting.year, month, 15) >= meeting else meeting.year + 1
        return date(year, month, 15)
    if m := re.fullmatch(rf"(?:within|in)\s+(?:the\s+next\s+)?({_NUM})\s+({_UNIT})(?:'?s?\s+time)?|"
                         rf"({_NUM})\s+({_UNIT})\s+from\s+(?:now|today)", text):
        count = _count(m.group(1) or m.group(3))
        unit = (m.group(2) or m.group(4))[0]
        delta = {"d": relativedelta(days=count), "w": relativedelta(weeks=count),
                 "m": relativedelta(months=count), "y": relativedelta(years=count)}[unit]
        return meeting + delta
    if re.fullmatch(r"(?:within|in)\s+a\s+fortnight|a\s+fortnight", text):
        return meeting + timedelta(days=14)
    if m := re.fullmatch(rf"(next|this)?\s*({_WEEKDAY})", text):
        return _weekday(m.group(1), _WEEKDAYS[m.group(2)], meeting)
    if m := re.fullmatch(rf"(\d{{1,2}}){_ORD}(?:\s+of\s+the\s+month)?", text):
        return _day_of_month(int(m.group(1)), meeting)
    return None


def _weekday(which: str | None, weekday: int, meeting: date) -> date:
    monday = meeting - timedelta(days=meeting.weekday())
    if which == "next":
        return monday + timedelta(days=7 + weekday)
    if which == "this":
        candidate = monday + timedelta(days=weekday)
        if candidate >= meeting:
            return candidate
    ahead = (weekday - meeting.weekday()) % 7 or 7
    return meeting + timedelta(days=ahead)


def _day_of_month(day: int, meeting: date) -> date | None:
    if not 1 <= day <= 31:
        return None
    cursor = date(meeting.year, meeting.month, 1)
    for _ in range(13):
        if day <= calendar.monthrange(cursor.year, cursor.month)[1]:
            candidate = cursor.replace(day=day)
            if candidate >= meeting:
                return candidate
        cursor = cursor + relativedelta(months=1)
    return None


def _with_dateparser(text: str, meeting: date, date_order: DateOrder) -> date | None:
    import dateparser  # imported lazily: loading its language data costs about a second

    text = re.sub(rf"(\d){_ORD}\b", r"\1", text).replace(".", " ")
    settings = {"RELATIVE_BASE": datetime(meeting.year, meeting.month, meeting.day),
                "PREFER_DATES_FROM": "future", "DATE_ORDER": date_order, "RETURN_AS_TIMEZONE_AWARE": False,
                "PREFER_DAY_OF_MONTH": "first"}
    parsed = dateparser.parse(text, languages=["en"], settings=settings)
    if parsed is None:
        return None
    result = parsed.date()
    explicit_year = bool(re.search(r"\b\d{4}\b|\d{1,2}/\d{1,2}/\d{2,4}", text))
    if result < meeting and not explicit_year:
        # A month-day already past this year means next year's.
        try:
            result = result.replace(year=result.year + 1)
        except ValueError:  # 29 February
            return None
        if result < meeting:
            return None
    return result


__all__ = ["DateOrder", "find_due_phrase", "infer_date_order", "is_asap", "resolve_due_date"]
