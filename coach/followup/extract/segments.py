"""Blocks of the notes -> sentences (segments), each with its section, marker, owner and date context."""

from __future__ import annotations

import re

from coach.followup.dates import find_due_phrase, infer_date_order
from coach.followup.extract.cues import (
    _ACTION_TAG,
    _CHECKIN_TAG,
    _DECOY_LABEL,
    _HEDGE,
    _MARKER,
    _MODAL,
    CHECKIN,
)
from coach.followup.extract.layout import (
    _CROSSED,
    _FIRST_SECOND_PERSON,
    _SPEAKER,
    _TAG,
    _looks_like_title,
    _Section,
    _speakers,
    blocks,
)
from coach.followup.extract.model import Block, Sentence
from coach.followup.extract.vocabulary import _PRONOUNS, _RUN_ON_KEEP, alternation

# Fields written after the action on one line: "... — Owner: Luis — Due: 8/29".
_FIELD_KEY = r"(?:owners?|who|assignee|due(?:\s+date)?|deadline|by\s+when|eta|target\s+date)"


_FIELD = re.compile(rf"(?:\s*[-–—|,;(]\s*|\s+)\b(?P<key>{_FIELD_KEY})\s*[:=]\s*(?P<value>[^—–|;()]+?)\s*\)?"
                    rf"(?=\s*[-–—|,;]\s*\b{_FIELD_KEY}\s*[:=]|\s*$)", re.IGNORECASE)


# "on me:", "on Diego:" at the start of a line: the one after "on" owns what follows.
_ON_OWNER = re.compile(r"^on\s+(?P<name>me|him|her|[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)?)\s*[:\-–—]\s+")


# A recap's section label that names who does what follows: "What you're doing:", "What I'm doing:",
# "Things Ana is working on:"; "What we're not doing yet:" lists what nobody does.
_WHO_LABEL = re.compile(r"^(?:what|things)\s+(?P<name>I|you|we|[A-Z][\w’'-]*)"
                        r"(?:['’](?:m|re|s)|\s+(?:am|are|is|will\s+be))\s+(?P<neg>not\s+)?"
                        r"(?:doing|working\s+on|taking\s+on|committing\s+to|owning|picking\s+up)"
                        r"(?:\s+(?:yet|next|now|for\s+now))?\s*[:\-–—]\s+", re.IGNORECASE)


_OPEN_QUOTE = re.compile(r"^\s*[\"“]\s*")


_LABEL = re.compile(rf"^(?P<label>{alternation('section_labels')})\s*[:\-–]\s*", re.IGNORECASE)


# A month abbreviated with a full stop ends no sentence before its day ("Sept. 16"); before a word it may
# ("by 16 Sept. I'm going to ..."). Titles ("Prof. Lindgren") and an initial before a verb ("V. shares") end none.
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])(?!(?<=\b(?:jan|feb|mar|apr|jun|jul|aug|sep|oct|nov|dec)\.)\s+\d)"
                             r"(?!(?<=\bsept\.)\s+\d)(?<!\be\.g\.)(?<!\bi\.e\.)(?<!\bvs\.)(?<!\b(?:dr|mr|ms)\.)"
                             r"(?<!\bmrs\.)(?<!\bprof\.)(?!(?<=\b(?-i:[A-Z])\.)\s+(?-i:[a-z]))"
                             r"\s+(?=[A-Z0-9\"'“(])|;\s+",
                             re.IGNORECASE)


# Dictated notes run on without punctuation ("... so i'm going to talk to X by friday and she said she'd ...");
# such a run is cut before each pronoun that starts a new statement, the "so"/"and"/"um" before it dropped
# (the "then" of "by then" stays).
_RUN_ON_BREAK = re.compile(r"\s+(?:(?:so|and|but|(?<!\bby\s)(?<!\bbefore\s)then|also|anyway|um+|uh+)\s+)*"
                           r"(?=(?:i|we|he|she|they)(?:['’](?:m|ll|d|s|re|ve)\b|"
                           r"\s+(?:will|would|said|told|asked|agreed|decided|wants?|wanted|needs?|think|thinks|also|"
                           r"can|should|mentioned|might|may|is|are|am|was|were)\b)|"
                           # "... I'll do that by friday next time we meet is aug 7": the check-in starts anew
                           r"(?:next|nxt)\s+(?:time|1[:-]1|check[- ]?in|meeting|catch[- ]?up)\b)", re.IGNORECASE)


_RUN_ON_MIN_WORDS = 25


def split_sentences(notes: str) -> list[Sentence]:
    """The notes as sentences, with section and marker context; injected instructions are left out."""
    sentences: list[Sentence] = []
    section = _Section()
    speakers = _speakers(notes)
    for block in blocks(notes):
        if block.kind == "table_row":
            _table_row(block, sentences)
        if block.kind != "text":
            continue  # headers and rules of tables, done items, and text to a machine say nothing of their own
        line = block.line
        checkin = section.checkin
        if section.header(line[block.content_start:].strip(), block.bullet):
            continue
        sentences.extend(_line_sentences(line, block.content_start, section, speakers, block.first, checkin))
    order = infer_date_order(notes)
    for index, sentence in enumerate(sentences):
        sentence.date_order = order
        sentence.before = sentences[index - 1].body if index else ""
    return sentences


def _line_sentences(line: str, content_start: int, section: _Section, speakers: set[str],
                    first_line: bool, under_checkin: bool = False) -> list[Sentence]:
    """One line of the notes as sentences, after its bullet, tag, marker, speaker and label."""
    content = line[content_start:]
    body_offset = content_start
    decoy = bool(_CROSSED.search(line[:content_start]))  # "❌ Cannes Lions: no budget"
    checkin = False
    context = section.action
    owner_hint = date_hint = speaker = None
    tag = _TAG.match(content)
    if tag:
        name = tag.group("tag").strip()
        context = context or bool(_ACTION_TAG.match(name))
        checkin = bool(_CHECKIN_TAG.match(name))
        decoy = bool(_DECOY_LABEL.match(name)) or bool(_HEDGE.match(name))
        if not (context or checkin or decoy) and name[:1].isupper() and not content[tag.end():].startswith("("):
            owner_hint = name  # "[Priya] draft the brief", "[Manager] ...": a tag may name the owner
        body_offset += tag.end()
        content = line[body_offset:]
    marker = _MARKER.match(content)
    on_owner = _ON_OWNER.match(content) or _WHO_LABEL.match(content)
    on_owner = None if on_owner and find_due_phrase(on_owner.group(0)) else on_owner  # "on Friday: ..." is a date
    decoy = decoy or bool(on_owner and on_owner.groupdict().get("neg"))
    spoken = _SPEAKER.match(content)
    # A line without "I" or "you" is an owner label even in a dialogue ("PS: draft the plan by Fri").
    spoken = spoken if spoken and spoken.group("speaker") in speakers and \
        _FIRST_SECOND_PERSON.search(content[spoken.end():]) else None
    if marker:
        decoy = decoy or bool(marker.group("qualifier") and _HEDGE.search(marker.group("qualifier")))
        # "ACTION(RB):", "AI (Dana):": a qualifier that is no hedge may name the owner.
        owner_hint = marker.group("name") or (None if decoy else marker.group("qualifier"))
        body_offset += marker.end()
        context = True
    elif on_owner:
        owner_hint = on_owner.group("name")
        body_offset += on_owner.end()
        context = True
    elif spoken:
        speaker = spoken.group("speaker")
        body_offset += spoken.end()
    elif section.voice and (quote := _OPEN_QUOTE.match(content)):
        speaker = section.voice  # under "What he told me he'd do:", '"I'll put together ..."' is his promise
        body_offset += quote.end()
    else:
        date_label = re.match(r"^\s*(?P<d>[^:]{2,20}):\s+", content)
        if date_label and find_due_phrase(date_label.group("d")) and \
                find_due_phrase(date_label.group("d"))[0] == date_label.group("d").strip():
            date_hint = date_label.group("d").strip()
            body_offset += date_label.end()
        decoy_label = re.match(r"^\s*(?P<d>[A-Za-z][\w ’'-]{1,25}?)\s*:\s+", content)
        if decoy_label and _DECOY_LABEL.match(decoy_label.group("d")):
            decoy = True
    label = None
    label_match = _LABEL.match(line[body_offset:])
    if label_match:
        label = label_match.group("label").lower()
        body_offset += label_match.end()
    fields = _fields(line, body_offset)
    if fields:
        end, owner_field, due_field = fields
        body = line[body_offset:end].strip()
        return [Sentence(text=line[content_start:].strip(), body=body, label=label, action_context=True,
                         owner_hint=owner_field or owner_hint, date_hint=due_field or date_hint, decoy=decoy,
                         checkin=checkin or under_checkin, title=first_line and _looks_like_title(line))]
    sentences: list[Sentence] = []
    starts: list[tuple[int, int]] = []  # where each sentence's evidence and body start on the line
    start = body_offset
    pieces = [*_sentence_breaks(line[body_offset:]), None]
    for brk in pieces:
        end = body_offset + brk[0] if brk else len(line)
        chunk = line[start:end]
        if chunk.strip() and sentences and _is_date_tail(chunk.strip()):
            # "... own the roadmap next qtr. by 1/9", "set up a monthly review; first one by 4/10": a fragment
            # that only adds a date belongs to the sentence before it.
            evidence_start, body_start = starts[-1]
            stop = start + len(chunk.rstrip())
            sentences[-1].text = line[evidence_start:stop].strip()
            sentences[-1].body = line[body_start:stop].strip()
            sentences[-1].rest_of_line = line[end:].strip()
        elif chunk.strip():
            lead = len(chunk) - len(chunk.lstrip())
            text = chunk.strip()
            first = start == body_offset
            evidence_start = content_start if first and (marker or date_hint or on_owner) else start + lead
            evidence = line[evidence_start:start + lead + len(text)].strip()
            sentences.append(Sentence(text=evidence, body=text, label=label if first else None,
                                      action_context=context, owner_hint=owner_hint if first else None,
                                      date_hint=date_hint, title=first_line and _looks_like_title(line),
                                      checkin=checkin or under_checkin, decoy=decoy, speaker=speaker,
                                      rest_of_line=line[end:].strip()))
            starts.append((line.index(evidence, evidence_start), start + lead))
        if brk:
            start = body_offset + brk[1]
    return sentences


def _sentence_breaks(text: str) -> list[tuple[int, int]]:
    """The spans between the sentences of a line: full stops and semicolons, and in a dictated run without any
    punctuation, the start of each new statement ("... by end of next week and she said she'd ...")."""
    breaks: list[tuple[int, int]] = []
    start = 0
    for brk in [*_SENTENCE_BREAK.finditer(text), None]:
        end = brk.start() if brk else len(text)
        breaks.extend(_run_on_breaks(text, start, end))
        if brk:
            breaks.append(brk.span())
            start = brk.end()
    return breaks


def _run_on_breaks(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Where a long chunk with no punctuation at all starts a new statement; none for an ordinary sentence."""
    chunk = text[start:end]
    if len(chunk.split()) < _RUN_ON_MIN_WORDS or re.search(r"[,.;:!?()]", chunk):
        return []
    found = []
    for brk in _RUN_ON_BREAK.finditer(chunk):
        before = chunk[:brk.start()].split()
        if before and before[-1].lower() not in _RUN_ON_KEEP:
            found.append((start + brk.start(), start + brk.end()))
    return found


def _is_date_tail(text: str) -> bool:
    """A fragment that only dates what came before: "by 1/9", "first one by 4/10", "readout in 10 days"."""
    found = find_due_phrase(text)
    if not found or CHECKIN.search(text):
        return False
    rest = (text[:found[1]] + " " + text[found[2]:]).strip(" .;,")
    words = rest.split()
    first = re.split(r"['’]", words[0])[0].lower() if words else ""  # "I'll review it by Monday" has a subject
    return len(words) <= 3 and not (words and (first in _PRONOUNS or _MODAL.match(" " + rest)))


def _fields(line: str, body_offset: int) -> tuple[int, str | None, str | None] | None:
    """(where the action ends, owner, due) for a line that names them in fields after the action; None if none."""
    found = list(_FIELD.finditer(line, body_offset))
    if not found or found[0].start() <= body_offset or not line[body_offset:found[0].start()].strip():
        return None
    owner = due = None
    for match in found:
        value = match.group("value").strip()
        if match.group("key").lower().startswith(("owner", "who", "assignee")):
            owner = owner or value
        elif find_due_phrase(value):
            due = due or value
    return found[0].start(), owner, due


def _table_row(block: Block, sentences: list[Sentence]) -> None:
    """Read one table row under its header: each row of an action table is one action."""
    line, cells, columns = block.line, block.cells, block.columns or {}
    if "action" not in columns or columns["action"] >= len(cells) or not cells[columns["action"]]:
        for cell in cells:  # a table that is not an action list: its cells are plain sentences
            if cell:
                sentences.append(Sentence(text=cell, body=cell))
        return

    def cell(role: str) -> str | None:
        index = columns.get(role)
        value = cells[index].strip(" *_") if index is not None and index < len(cells) else ""
        return value if value and value.strip("-–—?") and value.lower() not in {"n/a", "tbd", "none"} else None

    due = cell("due")
    sentences.append(Sentence(text=line.strip(), body=cells[columns["action"]], action_context=True,
                              owner_hint=cell("owner"), date_hint=due if due and find_due_phrase(due) else None))
