"""Layout of the notes: bullets, headings, tables, checkboxes, tags, speakers and title lines."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from coach.followup.extract.cues import CHECKIN
from coach.followup.extract.model import Block

# Emoji and pictographs that lead a line as its bullet ("✅ Malik → write the plan", "🤔 maybe: ...").
_EMOJI = r"[\u2600-\u27bf\U0001f300-\U0001faff]\ufe0f?"


# A bullet, a number or letter ("2.", "(a)", "iii)"), a timestamp ("14:21"), an emoji or a checkbox, alone or
# together ("- [ ]").
_BULLET = re.compile(r"^\s*(?:(?:->|=>|[-*•·+‣◦>→]|~(?=\s)|[–—](?=\s)|\d{1,2}[.)](?=\s)|\(\d{1,2}\)(?=\s)|"
                     r"\(?(?:[a-z]|ii|iii|iv|vi|vii|viii|ix)\)(?=\s)|" + _EMOJI + r"|"
                     r"\d{1,2}:\d{2}(?:\s*[ap]m)?(?=\s))\s*(?:\[[ xX✓✔]?\]\s*)?|\[[ xX✓✔]?\]\s*)", re.IGNORECASE)


# A cross as the bullet marks an item as not happening: "❌ Cannes Lions: no budget this year".
_CROSSED = re.compile(r"[❌✗✘⛔🚫]")


# "Q:" and "A:" lead the lines of notes written as questions and answers; they name no one.
_QA_LABEL = re.compile(r"^\s*[QA]\s*[:.]\s+")


# A question about when to meet next ("Q: When do we check in?"): its answer on the next line dates the check-in.
_CHECKIN_QUESTION = re.compile(r"^when\b[^?]*\b(?:check[- ]?in|meet|catch[- ]?up|talk|sync|1[:-]1|next)\b[^?]*\?\s*$",
                               re.IGNORECASE)


# A ticked checkbox ("- [x] shared the rubric") or a struck-through item ("~~nominate T~~") is done or dropped.
_DONE_ITEM = re.compile(r"^\s*(?:(?:->|=>|[-*•·+‣◦>→]|\d{1,2}[.)])\s*)?(?:\[[xX✓✔]\]|\[[ ]?\]\s*~~|~~)")


# A markdown heading ("### Next steps"): a section header even without its colon.
_MD_HEADING = re.compile(r"^\s*#{1,6}\s+(?P<h>.+?)\s*#*\s*$")


# A tag in brackets at the start of a line ("[ACTION]", "[IDEA]", "[NEXT]"); checkboxes are one character.
_TAG = re.compile(r"^\s*\[(?P<tag>[A-Za-z][A-Za-z /&-]{1,20})\]\s*[:\-–—]?\s*")


# A markdown table row ("| Sarah | Share the promo rubric | tomorrow |") and its separator row ("|---|---|").
_TABLE_ROW = re.compile(r"^\s*\|(?P<cells>.*)\|\s*$")


# The same row written without its outer pipes ("Lucia | Complete the course | 29 Aug"): three cells or more.
_BARE_TABLE_ROW = re.compile(r"^\s*(?P<cells>[^|\s][^|]*(?:\|[^|]*){2,}[^|\s])\s*$")


_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")


_COLUMN_ROLES = [("owner", re.compile(r"^(?:owners?|who|assignee|responsible|person|by\s+whom)$", re.IGNORECASE)),
                 ("action", re.compile(r"^(?:actions?|action\s+items?|what|tasks?|items?|to-?dos?|next\s+steps?|"
                                       r"commitments?|ai|description)$", re.IGNORECASE)),
                 ("due", re.compile(r"^(?:due(?:\s+date)?|when|by\s+when|by|deadline|date|target(?:\s+date)?|eta|"
                                    r"timeline|timing)$", re.IGNORECASE))]


# A speaker label in a transcript ("TD: Good. I'll update ..."); the speaker is who "I" means on that line.
_SPEAKER = re.compile(r"^(?P<speaker>[A-Z]{1,3}|[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)(?:\s*\([^)]{1,30}\))?\s*:\s+")


_FIRST_SECOND_PERSON = re.compile(r"\b(?:I|I['’](?:m|ve|ll|d)|you|your|my)\b|\?\s*$")


# A header that names whose words or plans follow: "What he told me he'd do:", "What she'll do:".
_WHO_HEADER = re.compile(r"^(?:what|things)\s+(?P<name>I|you|he|she|they|[A-Z][\w’'-]*)\s+"
                         r"(?:(?:told\s+me|said|agreed|promised|committed)\s+(?:(?:that\s+)?(?:I|you|he|she|they)"
                         r"(?:['’]d|\s+would)\s+|to\s+)|['’]ll\s+|will\s+|(?:is|are|am)\s+going\s+to\s+)do$",
                         re.IGNORECASE)


_HEADER = re.compile(r"^(?P<h>[A-Za-z][\w /&'’()-]{0,40}?)\s*:\s*$")


_ACTION_HEADER = re.compile(r"^(?:we\s+(?:also\s+|both\s+)?)?(?:agreed\s+)?(?:action(?:\s+item)?s?|next\s+steps?|"
                            r"agreed|agreements?|to-?dos?|follow[- ]?ups?|commitments?|decisions?|ais?|owners?|"
                            r"outcomes?|the\s+plan|plan)\b", re.IGNORECASE)


# A short line that is only an action header, even without its colon ("- AIs", "follow-ups").
_BARE_HEADER = re.compile(r"^(?:we\s+(?:also\s+)?agreed|agreed|action\s+items?|actions|next\s+steps|ais|to-?dos?|"
                          r"follow[- ]?ups?|commitments)\s*:?\s*$", re.IGNORECASE)


# A heading that is only "Next" or "Next time": the line under it dates the next check-in.
_NEXT_HEADING = re.compile(r"^(?:next|nxt)(?:\s+(?:time|one|up))?$", re.IGNORECASE)


_INJECTION = re.compile(
    r"\b(?:ignore|disregard|forget|override)\b.{0,40}\b(?:previous|prior|above|earlier|all|any)\b.{0,30}"
    r"\b(?:instructions?|prompts?|rules?|directions?|messages?)\b|\bsystem\s+prompt\b|\byou\s+are\s+now\b|"
    r"\bnew\s+instructions?\s*:|<\s*/?\s*(?:system|assistant|notes)\s*>", re.IGNORECASE)


@dataclass
class _Section:
    """Where a line sits: under an "Actions:" header (until its bullets end), or under a check-in heading."""

    action: bool = False
    checkin: bool = False
    seen_bullet: bool = False
    voice: str | None = None  # whom a "What he told me he'd do:" header names: the "I" of the quotes under it

    def header(self, content: str, bullet: bool) -> bool:
        """Update the section for a line; True when the line is itself a header and says nothing else."""
        heading = _MD_HEADING.match(content)
        header = _HEADER.match(content)
        if heading or header or _BARE_HEADER.match(content):
            name = heading.group("h") if heading else header.group("h") if header else content
            name = name.strip(" *_:")
            self.action = bool(_ACTION_HEADER.match(name))
            # "Next time:", "Next 1:1", "Follow-up date": the heading dates the line under it.
            self.checkin = bool(CHECKIN.search(name) or _NEXT_HEADING.match(name)) and not self.action
            self.seen_bullet = False
            voice = _WHO_HEADER.match(name)
            self.voice = voice.group("name") if voice else None
            return True
        # A check-in heading dates the one line under it ("### Next 1:1" / "In 3 weeks"), and so does a question
        # about when to meet ("Q: When do we check in?" / "A: Tue 15 Sept").
        self.checkin = bool(_CHECKIN_QUESTION.match(content))
        if self.action and bullet:
            self.seen_bullet = True
        elif self.action and self.seen_bullet and not bullet:
            self.action = False
        return False


def _cells(row: re.Match[str]) -> list[str]:
    """The cells of a table row, with or without its outer pipes."""
    return [c.strip() for c in row.group("cells").split("|")]


def _column_roles(cells: list[str]) -> dict[str, int]:
    """Which column holds the owner, the action and the due date, from a header row ("OWNER | ACTION | DATE")."""
    return {role: i for i, cell in enumerate(cells) for role, pattern in _COLUMN_ROLES
            if pattern.match(cell.strip(" *_"))}


def _speakers(notes: str) -> set[str]:
    """The speakers of notes written as a dialogue: labels that start two or more lines, on lines that talk in
    the first and second person ("TD: I'll update your plan"); none when the notes are no dialogue."""
    spoken = [m for line in notes.splitlines() if (m := _SPEAKER.match(line.strip()))]
    counts = Counter(m.group("speaker") for m in spoken)
    spoken = [m for m in spoken if counts[m.group("speaker")] >= 2]
    personal = [m for m in spoken if _FIRST_SECOND_PERSON.search(m.string[m.end():])]
    speakers = {m.group("speaker") for m in spoken}
    return speakers if len(spoken) >= 3 and len(personal) >= 2 and len(speakers) >= 2 else set()


_TITLE_WORDS = re.compile(r"\b(?:career|1[:-]1|one[- ]on[- ]one|check[- ]?in|chk[- ]?in|conversation|convo|chat|"
                          r"catch[- ]?up|sync|session|notes|meeting|growth|review)\b", re.IGNORECASE)


def _looks_like_title(line: str) -> bool:
    """The first line names the meeting ("Ryan - EOY career conversation", "Ana - recap of our career chat
    today."): no sentence, no promise; one full stop may end it."""
    text = line.strip()
    text = text[:-1] if text.endswith(".") and not re.search(r"[.!?;]\s", text) else text
    return (len(text.split()) <= 9 and not text.endswith(".") and bool(_TITLE_WORDS.search(text))
            and not re.search(r"\b(?:will|to|agreed|['’]ll|by|before|due)\b", text, re.IGNORECASE))


def blocks(notes: str) -> list[Block]:
    """The notes as blocks, one per non-empty line: text to the machine marked "injected", table rows with the
    columns their header named, done or struck-out items, and text lines with where their bullet ends."""
    found: list[Block] = []
    table: dict[str, int] | None = None  # the columns of the table being read; {} for one that lists no actions
    first = True
    lines = notes.splitlines()
    questions_and_answers = {m.group(0).strip()[0] for line in lines if (m := _QA_LABEL.match(line))} == {"Q", "A"}
    for line in lines:
        stripped = line.strip()
        if not stripped:
            continue
        if _INJECTION.search(stripped):
            found.append(Block(line=line, kind="injected"))  # text addressed to a machine is no part of the notes
            continue
        row = _TABLE_ROW.match(line) or _BARE_TABLE_ROW.match(line)
        if row and (row.re is _TABLE_ROW or table or _column_roles(_cells(row)).get("action") is not None):
            cells = _cells(row)
            if _TABLE_RULE.match(line):
                found.append(Block(line=line, kind="table_rule", first=first, cells=cells, columns=table))
            elif table is None:
                roles = _column_roles(cells)
                table = roles if "action" in roles else {}
                found.append(Block(line=line, kind="table_header", first=first, cells=cells, columns=table))
            else:
                found.append(Block(line=line, kind="table_row", first=first, cells=cells, columns=table))
            first = False
            continue
        table = None
        if _DONE_ITEM.match(line):
            found.append(Block(line=line, kind="done", first=first))  # "- [x] shared the rubric", "~~nominate~~"
            first = False
            continue
        bullet = _BULLET.match(line) or (_QA_LABEL.match(line) if questions_and_answers else None)
        found.append(Block(line=line, kind="text", first=first, bullet=bool(bullet),
                           content_start=bullet.end() if bullet else 0))
        first = False
    return found
