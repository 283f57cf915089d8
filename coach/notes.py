"""Meeting notes as managers write them: lines, sections and sentences, then commitments and cues.

Every text this module hands back as evidence is a slice of the notes, so it is an exact quote.
Lines that talk to a machine ("ignore previous instructions ...") are skipped: notes are data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from coach.dates import find_due_phrase, is_asap, resolve_due_date

_BULLET = re.compile(r"^\s*(?:->|=>|[-*•·+‣◦>→]|[–—](?=\s)|\d{1,2}[.)](?=\s)|\[[ xX]?\])\s*")
_HEADER = re.compile(r"^(?P<h>[A-Za-z][\w /&'’()-]{0,40}?)\s*:\s*$")
_ACTION_HEADER = re.compile(r"^(?:we\s+(?:also\s+|both\s+)?)?(?:agreed\s+)?(?:action(?:\s+item)?s?|next\s+steps?|"
                            r"agreed|agreements?|to-?dos?|follow[- ]?ups?|commitments?|decisions?|ais?|owners?|"
                            r"outcomes?|the\s+plan|plan)\b", re.IGNORECASE)
# A short line that is only an action header, even without its colon ("- AIs", "follow-ups").
_BARE_HEADER = re.compile(r"^(?:we\s+(?:also\s+)?agreed|agreed|action\s+items?|actions|next\s+steps|ais|to-?dos?|"
                          r"follow[- ]?ups?|commitments)\s*:?\s*$", re.IGNORECASE)
_MARKER = re.compile(r"^(?:ai|a/i|action(?:\s+items?)?|actions|todo|to-?do|next\s+steps?|plan|the\s+plan|"
                     r"(?:we\s+)?(?:also\s+)?agreed|decided)\b(?:\s+(?P<name>[^\s:,]+))?"
                     r"\s*[:\-–—]\s*", re.IGNORECASE)
_INJECTION = re.compile(
    r"\b(?:ignore|disregard|forget|override)\b.{0,40}\b(?:previous|prior|above|earlier|all|any)\b.{0,30}"
    r"\b(?:instructions?|prompts?|rules?|directions?|messages?)\b|\bsystem\s+prompt\b|\byou\s+are\s+now\b|"
    r"\bnew\s+instructions?\s*:|<\s*/?\s*(?:system|assistant|notes)\s*>", re.IGNORECASE)
_LABEL = re.compile(r"^(?P<label>concerns?|risks?|blockers?|worr(?:y|ies)|issues?|goals?|aspirations?|long[- ]term|"
                    r"reflections?|wins?|highlights?|feedback|context|background|discussed|notes?)\s*[:\-–]\s*",
                    re.IGNORECASE)
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])(?<!\b(?:jan|feb|mar|apr|jun|jul|aug|sep|oct|nov|dec)\.)(?<!\bsept\.)"
                             r"(?<!\be\.g\.)(?<!\bi\.e\.)(?<!\bvs\.)(?<!\b(?:dr|mr|ms)\.)\s+(?=[A-Z0-9\"'“(])|;\s+",
                             re.IGNORECASE)
_FILLER = re.compile(r"^(?:(?:also|and|then|plus|finally|additionally|so|ok|okay|next)\b[,:]?\s+)+", re.IGNORECASE)
_AGREED = re.compile(r"^(?:(?:we\s+)?(?:also\s+)?(?:both\s+)?(?:agreed|decided)|agreement|decision)(?:\s+that)?\s*[:,\-–]?\s+",
                     re.IGNORECASE)
_MODAL = re.compile(
    r"^(?:\s*[’']ll|\s*[’'](?:s|re|m)\s+(?:going\s+to|gonna)|\s+(?:is|are|am)\s+gonna|(?:\s+(?:also|then|now|still|both|already))?\s+(?:will|shall|is going to|are going to|am going to|to|"
    r"agreed to|agrees to|has agreed to|"
    r"have agreed to|committed to|commits to|has committed to|promised to|promises to|offered to|offers to|"
    r"volunteered to|volunteers to|needs to|need to|should|must|plans to|intends to|is to|can))"
    r"(?:\s+(?:also|then|now|first|still|probably|definitely|personally|both))*\s+",
    re.IGNORECASE)
_STRONG_MODAL = re.compile(r"^(?:\s*[’']ll|\s+(?:will|shall|agreed to|is going to|has agreed to|promised to))\s",
                           re.IGNORECASE)
_REPORTED = re.compile(r"^(?:(?P<who>I|he|she|they|[A-Z][\w’'-]+)\s+)?(?:said|told\s+(?:him|her|them|me)|promised|"
                       r"offered)\s+(?:that\s+)?(?P<then>I|he|she|they)(?:['’]d|\s+would)\s+", re.IGNORECASE)
_COLON = re.compile(r"^\s*(?:->|=>|→|[:\-–—])\s*")
_SUBJECTLESS = re.compile(r"^(?:(?:we\s+)?need\s+to|needs\s+to|someone\s+(?:needs\s+to|to|should|will|must)|"
                          r"tbd\s*[:\-–]?|to\s+do\s*:)\s*", re.IGNORECASE)
_PRONOUNS = {"i": "manager", "me": "manager", "he": "employee", "she": "employee", "they": "employee",
             "him": "employee", "her": "employee", "we": "shared", "us": "shared"}
_SUBJECT_WORD = re.compile(r"^(?P<w>[A-Za-z][\w-]*)")
_NOT_A_PERSON = {"this", "that", "it", "there", "here", "team", "everyone", "nobody", "someone", "the", "a", "an",
                 "budget", "next", "last", "plan", "goal", "action", "todo", "ai", "she's", "he's", "they're"}
# Verbs in the third person that describe, not commit: "Sam writes good code" is no action item.
_NOT_ACTIONS = {"is", "was", "has", "had", "wants", "wanted", "needs", "feels", "felt", "likes", "loves", "thinks",
                "says", "said", "enjoys", "seems", "sees", "knows", "does", "gets", "hopes", "aspires", "prefers",
                "worries", "struggles", "reflects", "mentions", "raises", "raised", "finds", "believes", "looks"}
# Common first words of an action; "- me: ask Lisa ..." is an action even with no date or "Actions:" header.
_ACTION_VERBS = set("""add agree apply approve arrange ask attend audit automate benchmark block book build cancel check
circulate clarify coach collect compile complete confirm connect convert cover create decide define delegate deliver
demo design discuss do document draft drive email enrol enroll escalate evaluate explore facilitate finalise finalize
find finish fix follow forward gather get give help hire host identify implement interview introduce intro invite
investigate join lead learn list log look loop make map measure meet mentor migrate nominate onboard organise
organize outline own pair pick ping pitch plan practice practise prepare present propose provide publish put raise
reach read record refactor register renew request research reserve review revisit revise rewrite run schedule send
set share shadow ship sign sort speak start study submit summarise summarize support sync take talk teach test
think track train try update watch write""".split())
_CUE_START = re.compile(r"^(?:wants?|wanted|would like|interested|aspires?|hopes?|felt|feels|enjoyed|proud|learned|"
                        r"worried|concerned|unsure|frustrated|long[- ]term|goal|is|was|has|had)\b", re.IGNORECASE)
_CHECKIN_WORDS = (r"(?:check[- ]?ins?|chk[- ]?ins?|checkins?|1[:-]1s?|1on1s?|one[- ]on[- ]ones?|catch[- ]?ups?|mtgs?|"
                  r"follow[- ]?ups?|"
                  r"meetings?|conversations?|convos?|sessions?|syncs?|chats?)")
CHECKIN = re.compile(rf"(?<![\w-])(?:next|nxt|another|following)\s+(?:[\w-]+\s+){{0,2}}?{_CHECKIN_WORDS}(?![\w-])|"
                     r"\b(?:reconvene|regroup|meet\s+again)\b|"
                     r"\b(?:meet|check[- ]?in|catch[- ]?up|sync|reconvene|regroup|touch\s+base|talk|check)"
                     r"\s+(?:again|back)\b|\bdo\s+this\s+again\b|"
                     rf"^(?:follow[- ]?up|check[- ]?in|catch[- ]?up|reconvene|regroup|(?:next|nxt)(?:\s+time)?\s*:)",
                     re.IGNORECASE)
_CHECKIN_DUE = re.compile(rf"(?:by|before|at|until|till)\s+(?:the\s+|our\s+)?(?:next|nxt)\s+{_CHECKIN_WORDS}",
                          re.IGNORECASE)
_CHECKIN_ACTION = re.compile(r"^(?:(?:all|both|everyone|we)\s*:\s*)?(?:(?:meet|check[- ]?in|catch[- ]?up|sync|reconvene|"
                             r"regroup|touch\s+base|talk|check)(?:\s+up)?\s+(?:again|back)\b|(?:reconvene|regroup)\b|"
                             r"(?:all\s+)?meet\s+again\b|follow\s+up\s*(?:on)?\s*$|"
                             r"revisit\s*(?:after\b|later\b|then\b|once\b|on\b|in\b|$))",
                             re.IGNORECASE)
# Hedges: a maybe is not a promise ("maybe PGConf in the autumn", "nice to have: a speaking slot").
_HEDGE = re.compile(r"^(?:maybe|might|perhaps|possibly|ideally|nice[- ]to[- ]have|would be nice|someday)\b|"
                    r"\b(?:at some point|some ?day|if (?:the )?(?:travel )?budget allows|think (?:about|abt) it)\b",
                    re.IGNORECASE)
_SPLIT_ACTIONS = re.compile(r",?\s+and\s+(?:to|will|also)\s+(?=[a-z])", re.IGNORECASE)
SUCCESS = re.compile(r"[,;(]?\s*(?:-\s*)?\b(?:success\s*(?:=|:|is|means|looks\s+like|will\s+be)|so\s+that|"
                     r"measured\s+by|"
                     r"target\s*(?:=|:|is)|done\s+when|definition\s+of\s+done\s*(?:=|:|is)|evidenced\s+by)\s*"
                     r"(?P<ind>.+)$", re.IGNORECASE)
_PAREN = re.compile(r"\(([^()]{4,})\)")


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


def split_sentences(notes: str) -> list[Sentence]:
    """The notes as sentences, with section and marker context; injected instructions are left out."""
    sentences: list[Sentence] = []
    action_section = False
    seen_bullet = False
    first_line = True
    for line in notes.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if _INJECTION.search(stripped):
            continue  # text addressed to a machine is not part of the conversation
        bullet = _BULLET.match(line)
        content = line[bullet.end():] if bullet else line
        content_start = len(line) - len(content)
        header = _HEADER.match(content.strip())
        if header or _BARE_HEADER.match(content.strip()):
            action_section = bool(_ACTION_HEADER.match(header.group("h") if header else content.strip()))
            seen_bullet = False
            continue
        if action_section and bullet:
            seen_bullet = True
        elif action_section and seen_bullet and not bullet:
            action_section = False
        body_offset = content_start
        marker = _MARKER.match(content)
        owner_hint = date_hint = None
        if marker:
            owner_hint = marker.group("name")
            body_offset += marker.end()
        else:
            date_label = re.match(r"^\s*(?P<d>[^:]{2,20}):\s+", content)
            if date_label and find_due_phrase(date_label.group("d")) and \
                    find_due_phrase(date_label.group("d"))[0] == date_label.group("d").strip():
                date_hint = date_label.group("d").strip()
                body_offset += date_label.end()
        label = None
        label_match = _LABEL.match(line[body_offset:])
        if label_match:
            label = label_match.group("label").lower()
            body_offset += label_match.end()
        context = action_section or marker is not None
        start = body_offset
        pieces = [*_SENTENCE_BREAK.finditer(line[body_offset:]), None]
        for brk in pieces:
            end = body_offset + brk.start() if brk else len(line)
            chunk = line[start:end]
            if chunk.strip():
                lead = len(chunk) - len(chunk.lstrip())
                text = chunk.strip()
                first = start == body_offset
                evidence_start = content_start if first and (marker or date_hint) else start + lead
                evidence = line[evidence_start:start + lead + len(text)].strip()
                sentences.append(Sentence(text=evidence, body=text, label=label if first else None,
                                          action_context=context, owner_hint=owner_hint if first else None,
                                          date_hint=date_hint, title=first_line and _looks_like_title(line)))
            if brk:
                start = body_offset + brk.end()
        first_line = False
    return sentences


_TITLE_WORDS = re.compile(r"\b(?:career|1[:-]1|one[- ]on[- ]one|check[- ]?in|chk[- ]?in|conversation|convo|chat|"
                          r"catch[- ]?up|sync|session|notes|meeting|growth|review)\b", re.IGNORECASE)


def _looks_like_title(line: str) -> bool:
    """The first line names the meeting ("Ryan - EOY career conversation"): no sentence, no promise."""
    text = line.strip()
    return (len(text.split()) <= 9 and not text.endswith(".") and bool(_TITLE_WORDS.search(text))
            and not re.search(r"\b(?:will|to|agreed|['’]ll)\b", text, re.IGNORECASE))


class OwnerResolver:
    """Maps a subject in the notes to a participant, never to anyone else."""

    def __init__(self, participants: list[Participantish]) -> None:
        self.participants = participants
        self.by_role = {role: [p for p in participants if p.role == role] for role in ("manager", "employee", "other")}

    def match_name(self, text: str) -> tuple[str | None, int]:
        """(participant name, characters used) for a name at the start of text; (None, 0) if none."""
        lowered = text.lower()
        candidates: list[tuple[int, str]] = []
        for p in self.participants:
            full = p.name.lower()
            parts = full.split()
            options = {full, parts[0]}
            if len(parts) > 1 and sum(q.name.lower().split()[-1] == parts[-1] for q in self.participants) == 1:
                options.add(parts[-1])
            for option in options:
                if re.match(rf"{re.escape(option)}(?![\w])", lowered):
                    candidates.append((len(option), p.name))
        initial = re.match(r"([A-Z]{1,3}|[a-hj-z])(?=\s*(?::|->|\s[-–—]\s|\s+to\s|\s+will\s|['’]ll\s)|$)", text)
        if not candidates and initial:
            # "P to talk to Carla", "JW - shadow 3 calls", "j will finish the course": initials stand for the one
            # participant whose first name (or first and last name) they spell.
            letters = initial.group(1).upper()
            matches = [p.name for p in self.participants
                       if "".join(part[0] for part in p.name.split()).upper().startswith(letters)
                       and (len(letters) > 1 or p.name[:1].upper() == letters)]
            return (matches[0], len(letters)) if len(matches) == 1 else (None, 0)
        if not candidates:
            return None, 0
        longest = max(length for length, _ in candidates)
        names = {name for length, name in candidates if length == longest}
        return (names.pop(), longest) if len(names) == 1 else (None, longest)

    def resolve(self, subject: str) -> tuple[str | None, list[str]]:
        """(owner, flags) for a subject: a participant name, a pronoun, "we", or someone else."""
        word = subject.strip().lower()
        if re.search(r"\band\b|&|\+", word):
            return None, ["owner unclear", "shared owner"]
        if word in _PRONOUNS:
            role = _PRONOUNS[word]
            if role == "shared":
                return None, ["owner unclear", "shared owner"]
            people = self.by_role.get(role, [])
            return (people[0].name, []) if len(people) == 1 else (None, ["owner unclear"])
        name, used = self.match_name(subject)
        if name and used >= len(word):
            return name, []
        if used:
            return None, ["owner unclear"]
        return None, ["owner unclear", f"named owner is not a participant: {subject.strip()}"]


def _subject(body: str, owners: OwnerResolver) -> tuple[str | None, int]:
    """The subject at the start of a clause and its length: a participant, a pronoun, "X and I", or a name."""
    name, used = owners.match_name(body)
    if used:
        rest = body[used:]
        pair = re.match(r"\s+(?:and|&|\+)\s+(?:I|me|[A-Z][\w’'-]*)\b", rest)
        return body[:used + (pair.end() if pair else 0)], used + (pair.end() if pair else 0)
    word = _SUBJECT_WORD.match(body)
    if not word:
        return None, 0
    token = word.group("w")
    if token.lower() in _PRONOUNS:
        return token, len(token)
    pair = re.match(r"^[A-Z][\w’'-]*\s+(?:and|&)\s+(?:I|me)\b", body)
    if pair:
        return pair.group(0), pair.end()
    return token, len(token)


def parse_commitments(sentence: Sentence, owners: OwnerResolver, meeting_date: date,
                      next_check_in: date | None) -> list[ParsedCommitment]:
    """The commitments one sentence states (none for background, aspirations or check-in plans)."""
    results: list[ParsedCommitment] = []
    body = sentence.body
    for inner in _PAREN.finditer(body):
        nested = Sentence(text=inner.group(1).strip(), body=inner.group(1).strip(), action_context=False)
        found = parse_commitments(nested, owners, meeting_date, next_check_in)
        if found:
            results.extend(found)
            body = body.replace(inner.group(0), " ")
    clause = _FILLER.sub("", body.strip())
    marker = _MARKER.match(clause)
    if marker and not sentence.owner_hint:  # "... for now. TODO: me - send the doc"
        sentence = Sentence(text=sentence.text, body=clause[marker.end():], action_context=True,
                            owner_hint=marker.group("name"), date_hint=sentence.date_hint)
        clause = sentence.body
    if sentence.title:
        return results
    agreed = _AGREED.match(clause)
    if agreed:
        clause = clause[agreed.end():]
    reported = _REPORTED.match(clause)
    if reported:  # "I said I'd check whether ..." reports a promise: the speaker owns it
        clause = (reported.group("who") or reported.group("then")) + " will " + clause[reported.end():]
        agreed = agreed or reported
    context = sentence.action_context or bool(agreed)
    previous: str | None = None  # the participant named as subject of the clause before
    for index, part_clause in enumerate(split_clauses(clause, owners)):
        current = sentence if index == 0 else Sentence(text=sentence.text, body=part_clause,
                                                       action_context=sentence.action_context)
        owner_text, action = _owner_and_action(part_clause, current, owners, context, agreed=bool(agreed))
        named = owners.match_name(owner_text)[0] if owner_text else None
        if action is None or not action.strip(" ,.;:-–—"):
            previous = named or previous
            continue
        if owner_text is None:
            owner, flags = None, ["owner unclear"]
        elif previous and owner_text.lower() in ("he", "she", "they"):
            # "Nora offered to set it up - she'll launch it by 3/24": the pronoun continues the named subject.
            owner, flags = previous, []
        else:
            owner, flags = owners.resolve(owner_text)
        previous = named or previous
        if _CHECKIN_ACTION.match(action) or re.match(rf"^(?:the\s+|our\s+)?next\s+{_CHECKIN_WORDS}\b", action, re.I):
            continue
        if _HEDGE.search(action) or _HEDGE.search(part_clause[:len(part_clause) - len(action)] or ""):
            continue
        for part in _SPLIT_ACTIONS.split(action):
            found = _commitment(part, owner, list(flags), sentence, meeting_date, next_check_in)
            if found.action:  # "next: end of month" leaves nothing once the date is taken out
                results.append(found)
    return results


_CLAUSE_MODAL = (r"(?:['’](?:ll|d)\b|\s+(?:will|to|is going to|are going to|agreed to|offered to|promised to|"
                 r"needs? to|has to|should|can)\b|\s*(?::|->|→))")
_CLAUSE_SEPARATOR = r"(?:\s*[,;]\s*(?:and\s+|then\s+|but\s+|plus\s+)?|\s+(?:and|then|but|plus|&)\s+|\s+[-–—]+\s+)"


def split_clauses(clause: str, owners: OwnerResolver) -> list[str]:
    """A sentence that holds several promises ("I'll open the req Friday and she'll write the JD by 8/8"), split
    where a new subject with a modal starts; a clause without its own subject stays with the one before."""
    names = sorted({n for p in owners.participants for n in (p.name, p.name.split()[0])}, key=len, reverse=True)
    subjects = "|".join([r"i", r"he", r"she", r"they", r"me", *(re.escape(n) for n in names)])
    pattern = re.compile(rf"{_CLAUSE_SEPARATOR}(?=(?:{subjects}){_CLAUSE_MODAL})", re.IGNORECASE)
    parts, start = [], 0
    for match in pattern.finditer(clause):
        if match.start() > start:
            parts.append(clause[start:match.start()])
            start = match.end()
    parts.append(clause[start:])
    return [p for p in parts if p.strip()]


def _owner_and_action(clause: str, sentence: Sentence, owners: OwnerResolver,
                      context: bool, agreed: bool = False) -> tuple[str | None, str | None]:
    """(subject text, action text) when the clause is a commitment; (None, None) when it is not."""
    if sentence.owner_hint:
        _, used = owners.match_name(sentence.owner_hint)
        if used or sentence.owner_hint.lower() in _PRONOUNS:
            return sentence.owner_hint, clause
    subjectless = _SUBJECTLESS.match(clause)
    if subjectless:
        return None, clause[subjectless.end():]
    subject, used = _subject(clause, owners)
    if subject:
        rest = clause[used:]
        known = owners.match_name(subject)[1] > 0 or subject.lower() in _PRONOUNS or " and " in subject.lower()
        modal = _MODAL.match(rest) or (re.match(r"^\s*['’]d\s+", rest) if agreed else None)  # "we agreed he'd lead"
        if modal and (known or (_STRONG_MODAL.match(rest) and subject[0].isupper()
                                and subject.lower() not in _NOT_A_PERSON)):
            return subject, rest[modal.end():]
        colon = _COLON.match(rest)
        if colon and known and _PRONOUNS.get(subject.lower(), "manager") == "manager":
            action = rest[colon.end():]
            first_word = action.split()[0].lower() if action.split() else ""
            if context or first_word in _ACTION_VERBS or (find_due_phrase(action) and not _CUE_START.match(action)):
                return subject, action
            return None, None
        verb = re.match(r"^\s+(?P<v>[a-z]+s)\b", rest)
        due_phrase = find_due_phrase(rest)
        deadline = bool(due_phrase and re.match(r"(?:by|before|due|until|till|no later than|within|in\s+\d|in\s+(?:a|one|"
                                                r"two|three|four|five|six)\s)", due_phrase[0], re.IGNORECASE))
        if verb and known and verb.group("v") not in _NOT_ACTIONS and (context or deadline):
            # "noah drafts a proposal by 8/14": a present-tense plan with a date is a commitment.
            return subject, _base_form(verb.group("v")) + rest[verb.end():]
        bare = re.match(r"^\s+(?P<v>[a-z]+)\b", rest)
        if bare and known and context and bare.group("v") in _ACTION_VERBS:
            return subject, rest.lstrip()
        unknown_to = re.match(r"^\s+to\s+(?P<v>[a-z]+)\b", rest)
        if unknown_to and not known and subject[:1].isupper() and subject.lower() not in _NOT_A_PERSON \
                and unknown_to.group("v") in _ACTION_VERBS:
            return subject, rest[unknown_to.end() - len(unknown_to.group("v")):]
        if known:
            return None, None
    # A bare imperative under "Actions:" is an action nobody owns yet.
    if context and not _CUE_START.match(clause) and not CHECKIN.search(clause) and re.match(r"^[a-z]", clause, re.I):
        return None, clause
    return None, None


def _base_form(verb: str) -> str:
    if re.search(r"(?:sh|ch|x|ss|z)es$", verb):
        return verb[:-2]
    return verb[:-1]


def _commitment(action: str, owner: str | None, flags: list[str], sentence: Sentence, meeting_date: date,
                next_check_in: date | None) -> ParsedCommitment:
    indicator = None
    success = SUCCESS.search(action)
    if success:
        indicator = success.group("ind").strip(" .;,)")
        action = action[:success.start()]
    found = find_due_phrase(action) or (find_due_phrase(sentence.date_hint) if sentence.date_hint else None)
    phrase = None
    if found:
        phrase, start, end = found
        if find_due_phrase(action) == found:
            action = action[:start] + " " + action[end:]
    elif indicator and (in_indicator := find_due_phrase(indicator)):
        phrase = in_indicator[0]
    due = None
    if phrase:
        due = resolve_due_date(phrase, meeting_date, next_check_in=next_check_in)
        if is_asap(phrase):
            flags.append("due ASAP (no date)")
        elif due is None:
            flags.append("due date unresolved")
    else:
        flags.append("no due date")
    action = re.sub(r"\s+", " ", action)
    action = re.sub(r"\s+([,.;:])", r"\1", action).strip(" ,.;:-–—")
    action = re.sub(r"\s*[-–—,]\s*(?:owner\s+)?tbd$", "", action, flags=re.IGNORECASE).strip(" ,.;:-–—")
    action = action[:1].upper() + action[1:]
    return ParsedCommitment(owner=owner, action=action, due=due, due_phrase=phrase, success_indicator=indicator,
                            evidence=sentence.text, flags=flags)


_EXPLICIT_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b|(?<![\w/])\d{1,2}/\d{1,2}(?:/\d{2,4})?(?![\w/])|"
                            r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?!\d)",
                            re.IGNORECASE)


def find_next_check_in(sentences: list[Sentence], meeting_date: date) -> date | None:
    """The first date after the meeting that a "next check-in ..." sentence names."""
    for sentence in sentences:
        if not CHECKIN.search(sentence.body):
            continue
        text = _CHECKIN_DUE.sub(" ", sentence.body)
        keyword = CHECKIN.search(text)
        for candidate in (text[keyword.end():] if keyword else text, text):
            explicit = _EXPLICIT_DATE.search(candidate)
            # "next 1:1 thu 9/25": the calendar date is what the writer checked; the weekday only decorates it.
            found = find_due_phrase(candidate[explicit.start():]) if explicit else None
            found = found or find_due_phrase(candidate)
            if found and not _CHECKIN_DUE.fullmatch(found[0]):
                when = resolve_due_date(found[0], meeting_date)
                if when is not None and when > meeting_date:
                    return when
    return None


__all__ = ["CHECKIN", "SUCCESS", "OwnerResolver", "ParsedCommitment", "Participantish", "Sentence",
           "find_next_check_in", "parse_commitments", "split_sentences"]
