"""Segment -> candidate commitments: subject, modal, action, split into clauses and actions."""

from __future__ import annotations

import re
from datetime import date

from coach.followup.dates import find_due_phrase
from coach.followup.extract.cues import (
    _CUE_START,
    _EXPLICIT_DATE,
    _FILLER,
    _HEDGE,
    _MARKER,
    _MODAL,
    _STRONG_MODAL,
    CHECKIN,
)
from coach.followup.extract.due import _PAREN, _commitment
from coach.followup.extract.judge import declined_offer, drop_reason, segment_reason
from coach.followup.extract.model import Decision, ParsedCommitment, Sentence
from coach.followup.extract.owners import OwnerResolver, _subject
from coach.followup.extract.vocabulary import (
    _ACTION_VERBS,
    _EVENT_VERBS,
    _IRREGULAR_PARTICIPLES,
    _NOT_A_PERSON,
    _NOT_ACTIONS,
    _PRONOUNS,
)

# A phrase that links a promise to what came before it: "To that end she is going to ...".
_LEAD_ADVERBIAL = re.compile(r"^(?:to\s+that\s+end|to\s+(?:do|get\s+there|make\s+that\s+happen)|"
                             r"with\s+that\s+in\s+mind|"
                             r"in\s+the\s+meantime|meanwhile|as\s+a\s+(?:first|next)\s+step|after\s+that|"
                             r"in\s+the\s+short\s+term)\b\s*,?\s+(?=[A-Za-z])", re.IGNORECASE)


_AGREED = re.compile(r"^(?:(?:we\s+)?(?:also\s+)?(?:both\s+)?(?:agreed|decided)|agreement|decision)(?:\s+that)?\s*[:,\-–]?\s+",
                     re.IGNORECASE)


_REPORTED = re.compile(r"^(?:(?P<who>I|he|she|they|[A-Z][\w’'-]+)\s+)?(?:said|"
                       r"told\s+(?:him|her|them|me|[A-Z][\w’'-]+)|promised|"
                       r"offered)\s+(?:that\s+)?(?P<then>I|he|she|they|you)(?:['’]d|\s+would)\s+", re.IGNORECASE)


# A promise quoted after "said": 'she said "I'll put in the swap request"' is hers, as if reported.
_QUOTED_REPORT = re.compile(r"^(?P<who>he|she|they|you|[A-Z][\w’'-]+)\s+(?:said|says|told\s+me|promised)\s*[,:]?\s*"
                            r"[\"“]\s*I(?:['’]ll|\s+will|['’]m\s+going\s+to|\s+am\s+going\s+to)\s+",
                            re.IGNORECASE)


_CLOSING_QUOTE = re.compile(r"[\"”]")


_COLON = re.compile(r"^\s*(?:->|=>|→|[:\-–—])\s*")


_SUBJECTLESS = re.compile(r"^(?:(?:we\s+)?need\s+to|needs\s+to|someone\s+(?:needs\s+to|to|should|will|must)|"
                          r"tbd\s*[:\-–]?|to\s+do\s*:)\s*", re.IGNORECASE)


# A short apposition after a name that is not a participant: "Tom from the PMO", "Elena in research",
# "Dana (enablement)", "Elena's team".
_APPOSITION = re.compile(r"^(?:\s+(?:from|in|at|on|of)\s+(?:the\s+)?[\w&/-]+(?:\s+(?:team|office|org|group))?|"
                         r"\s*\([^()]{1,40}\)|['’]s\s+(?:team|manager|lead|boss|office|group|org))")


# "I own getting him onto the rotation - end of May", "Mei Lin owns picking a project by Friday".
_OWNS = re.compile(r"^\s+(?:owns?|is\s+owning)\s+(?P<what>\S.*)$", re.IGNORECASE)


# Two owners joined: "FL & HY", "Nadia and I".
_PAIR = re.compile(r"\s(?:and|&|\+)\s", re.IGNORECASE)


# A clause that opens with a condition, a negation or a pronoun is no bare imperative ("Before she takes on
# people", "not pursuing for now", "it's realistic for spring").
_NOT_IMPERATIVE = re.compile(r"^(?:before|after|when|whenever|once|if|unless|until|till|while|since|because|"
                             r"as\s+soon\s+as|not|no|never|it|it['’]s|its|that|that['’]s|this|there|there['’]s|"
                             r"these|those|he|she|they|we|i)\b", re.IGNORECASE)


_REPORTED_VERB = re.compile(r"^(?P<w>[A-Z][\w’'-]*)\s+(?:[a-z]+ed|said|says|thought|thinks|felt|feels|told|might|"
                            r"may|could|would|was|is|has|had)\b")


def _reports_someone(clause: str) -> bool:
    """A clause that reports what someone not in the meeting did or said ("Omar mentioned ..."): no imperative."""
    match = _REPORTED_VERB.match(clause)
    return bool(match) and match.group("w").lower() not in _ACTION_VERBS


# A line of dialogue that starts with its modal, its speaker left out: "Will write a one-pager by Wed".
_SPOKEN_PROMISE = re.compile(r"^(?:will|shall|can|going\s+to)\s+(?=[a-z])", re.IGNORECASE)


# A promise quoted in the first person after an owner label: 'Ana: "I'll also pair with Raj ..."'.
# After the label a bare modal only repeats it: "Me: will ask the SRE lead ...".
_QUOTED_PROMISE = re.compile(r"^(?:[\"“']?\s*I(?:['’]ll|\s+will|['’]m\s+going\s+to|\s+am\s+going\s+to|\s+can)|"
                             r"(?:will|shall|going\s+to)(?=\s))(?:\s+(?:also|then|now|first|definitely))*\s+(?=[a-z])",
                             re.IGNORECASE)


# A lead-in before the promise itself: "The one concrete thing: I'll look into ...".
_LEAD_IN = re.compile(r"^(?P<lead>[A-Za-z][^:]{2,60}?)\s*:\s+(?=\S)")


# "Over to Samuel to draft the plan", "over to Dana (enablement): confirm the slot".
_OVER_TO = re.compile(r"^(?:over\s+to|hand(?:ed|ing)?\s+(?:it\s+)?(?:over\s+)?to|passing\s+(?:it\s+)?to)\s+(?=\w)",
                      re.IGNORECASE)


# A chain of arrows that ends with its owner and maybe a date: "... -> RFC for the event bus -> Lena, by Fri".
_ARROW_OWNER = re.compile(r"(?:^|(?:->|=>|→)\s*)(?P<action>[^>→]+?)\s*(?:->|=>|→)\s*(?P<who>[^,>→]+?)\s*"
                          r"(?:,\s*(?P<due>[^>→]*?))?\s*$")


_SPLIT_ACTIONS = re.compile(r",?\s+and\s+(?:to|will|also)\s+(?=[a-z])", re.IGNORECASE)


# A list of actions written as gerunds: "finishing the module by mid-January, and taking a first pass at ...".
_GERUND = re.compile(r"^(?P<v>[a-z]+ing)\b", re.IGNORECASE)


_SPLIT_GERUNDS = re.compile(r"(?:,\s*(?:and\s+)?|\s+and\s+)(?=[a-z]+ing\b)", re.IGNORECASE)


def parse_commitments(sentence: Sentence, owners: OwnerResolver, meeting_date: date,
                      next_check_in: date | None, decisions: list[Decision] | None = None) -> list[ParsedCommitment]:
    """The commitments one sentence states (none for background, aspirations or check-in plans); each candidate
    dropped on the way is appended to `decisions` with its reason."""
    results: list[ParsedCommitment] = []
    body = sentence.body
    for inner in _PAREN.finditer(body):
        nested = Sentence(text=inner.group(1).strip(), body=inner.group(1).strip(), action_context=False,
                          date_order=sentence.date_order)
        found = parse_commitments(nested, owners, meeting_date, next_check_in, decisions)
        if found:
            results.extend(found)
            body = body.replace(inner.group(0), " ")
    clause = body.strip()
    if not owners.match_name(clause)[1]:  # "SO -> get MP access": initials that spell a filler word stay
        clause = _FILLER.sub("", clause)
    clause = _LEAD_ADVERBIAL.sub("", clause)  # "To that end she is going to take on ..."
    marker = _MARKER.match(clause)
    if marker and not sentence.owner_hint:  # "... for now. TODO: me - send the doc"
        sentence = Sentence(text=sentence.text, body=clause[marker.end():], action_context=True,
                            owner_hint=marker.group("name"), date_hint=sentence.date_hint,
                            decoy=bool(marker.group("qualifier") and _HEDGE.search(marker.group("qualifier"))),
                            date_order=sentence.date_order)
        clause = sentence.body
    if reason := segment_reason(sentence):
        _record(decisions, sentence, None, reason)
        return results
    clause = _after_lead_in(clause, owners)
    if sentence.speaker and _SPOKEN_PROMISE.match(clause):
        clause = "I " + clause  # "B: Will write a one-pager by Wed": the speaker is the subject
    agreed = _AGREED.match(clause)
    if agreed:
        clause = clause[agreed.end():]
    reported = _REPORTED.match(clause)
    if reported:  # "I said I'd check whether ..." reports a promise: the speaker owns it
        clause = (reported.group("who") or reported.group("then")) + " will " + clause[reported.end():]
        agreed = agreed or reported
    quoted = _QUOTED_REPORT.match(clause)
    if quoted:  # 'she said "i'll put in the swap request" once ...': the one who said it owns it
        clause = quoted.group("who") + " will " + _CLOSING_QUOTE.sub("", clause[quoted.end():], count=1)
    handed = _OVER_TO.match(clause)
    if handed:  # "over to Samuel to draft the plan": the one it is handed to owns it
        clause = clause[handed.end():]
    context = sentence.action_context or bool(agreed) or bool(handed)
    chain = _arrow_owner(clause, owners)
    if chain:
        owner_text, action = chain
        owner, flags = owners.resolve(owner_text)
        return [*results, _commitment(action, owner, flags, sentence, meeting_date, next_check_in)]
    previous: str | None = None  # the participant named as subject of the clause before
    for index, part_clause in enumerate(split_clauses(clause, owners)):
        reported = _REPORTED.match(part_clause) if index else None
        if reported:  # "..., and I said I would square that with Dominic"
            part_clause = (reported.group("who") or reported.group("then")) + " will " + part_clause[reported.end():]
        current = sentence if index == 0 else Sentence(text=sentence.text, body=part_clause,
                                                       action_context=sentence.action_context)
        owner_text, action = _owner_and_action(part_clause, current, owners, context, agreed=bool(agreed))
        if sentence.speaker and owner_text and owner_text.lower() in ("i", "me"):
            owner_text = sentence.speaker  # "TD: I'll update your plan": the speaker is "I"
        elif sentence.speaker and owner_text and owner_text.lower() == "you":
            owner_text = owners.addressee(sentence.speaker) or owner_text  # "PS: you'll send me the deck"
        named = owners.match_name(owner_text)[0] if owner_text else None
        if action is None or not action.strip(" ,.;:-–—"):
            previous = named or previous
            continue
        lead = part_clause[:len(part_clause) - len(action)] or ""
        if reason := declined_offer(lead, clause, sentence.rest_of_line):
            _record(decisions, sentence, action, reason)
            continue
        if owner_text is None:
            owner, flags = None, ["owner unclear"]
        elif previous and owner_text.lower() in ("he", "she", "they"):
            # "Nora offered to set it up - she'll launch it by 3/24": the pronoun continues the named subject.
            owner, flags = previous, []
        else:
            owner, flags = owners.resolve(owner_text)
        if owner is None and (handle := _handle_owner(part_clause, owners)):
            owner, flags = handle, []  # "Review the PR @dana": the one handle in the line owns it
        previous = named or previous
        if reason := drop_reason(action, lead, owner_text):
            _record(decisions, sentence, action, reason)
            continue
        for part in _split_actions(action):
            found = _commitment(part, owner, list(flags), sentence, meeting_date, next_check_in)
            if found.action:  # "next: end of month" leaves nothing once the date is taken out
                results.append(found)
            else:
                _record(decisions, sentence, part, "only a date, no action")
    return results


def _record(decisions: list[Decision] | None, sentence: Sentence, action: str | None, reason: str) -> None:
    """Note a dropped candidate and why, when the caller keeps decisions (`coach summarize --explain`)."""
    if decisions is not None:
        decisions.append(Decision(evidence=sentence.text, action=action, kept=False, reason=reason))


# A handle anywhere in a line ("review the draft @priya", "(@dana)").
_HANDLE = re.compile(r"(?<![\w@])@(?P<name>[A-Za-z][\w.-]*)")


def _handle_owner(clause: str, owners: OwnerResolver) -> str | None:
    """The participant the one handle of a clause names; None for no handle, several, or someone else's."""
    names = {owners.match_name(m.group("name"))[0] for m in _HANDLE.finditer(clause)}
    return names.pop() if len(names) == 1 and None not in names else None


def _split_actions(action: str) -> list[str]:
    """The actions in one promise: "X, and to Y" splits; a list of gerunds splits at each one, in the base form.
    A lone verb stays with what follows it: "check and will let her know by Friday" is one promise."""
    if not _GERUND.match(action) or _base_of_gerund(_GERUND.match(action).group("v")) is None:
        parts: list[str] = []
        for part in _SPLIT_ACTIONS.split(action):
            if parts and len(parts[-1].split()) == 1:
                parts[-1] = f"{parts[-1]} and {part}"
            else:
                parts.append(part)
        return parts
    parts = []
    for part in _SPLIT_GERUNDS.split(action):
        gerund = _GERUND.match(part)
        base = _base_of_gerund(gerund.group("v")) if gerund else None
        parts.append(base + part[gerund.end():] if base else part)
    return parts


def _base_of_gerund(word: str) -> str | None:
    """"finishing" -> "finish", "taking" -> "take", "putting" -> "put"; None when no known action verb fits."""
    stem = word.lower()[:-3]
    for candidate in (stem, stem + "e", stem[:-1] if len(stem) > 2 and stem[-1] == stem[-2] else ""):
        if candidate in _ACTION_VERBS:
            return candidate
    return None


def _after_lead_in(clause: str, owners: OwnerResolver) -> str:
    """The promise after a lead-in ("The one concrete thing: I'll look into ..."); the clause when there is none."""
    lead = _LEAD_IN.match(clause)
    if not lead or owners.match_name(lead.group("lead"))[1] or lead.group("lead").lower() in _PRONOUNS:
        return clause
    rest = clause[lead.end():]
    owner_text, action = _owner_and_action(rest, Sentence(text=rest, body=rest), owners, context=False)
    return rest if owner_text and action else clause


def _arrow_owner(clause: str, owners: OwnerResolver) -> tuple[str, str] | None:
    """(owner, action) for a chain that ends in its owner ("... -> RFC for the event bus -> Lena, by Fri")."""
    chain = _ARROW_OWNER.search(clause)
    if not chain:
        return None
    who = chain.group("who").strip()
    name, used = owners.match_name(who)
    if not (name and used >= len(who)) and who.lower() not in ("me", "i"):
        return None
    return who, f"{chain.group('action')} {chain.group('due') or ''}".strip()


_CLAUSE_MODAL = (r"(?:['’](?:ll|d)\b|\s+(?:will|to|is going to|are going to|agreed to|offered to|promised to|"
                 r"needs? to|has to|should|can)\b|\s*(?::|->|→))")


# "..., and I said I would square that with Dominic": a reported promise starts a clause of its own.
_CLAUSE_REPORT = r"\s+(?:said|promised|offered)\s+(?:that\s+)?(?:I|he|she|they|you)(?:['’]d|\s+would)\b"


_CLAUSE_SEPARATOR = (r"(?:\s*[,;]\s*(?:and\s+|then\s+|but\s+|plus\s+|so\s+)?|\s+(?:and|then|but|plus|&)\s+|"
                     r"\s+[-–—]+\s+|\s*(?:->|=>|→)\s*)")


def split_clauses(clause: str, owners: OwnerResolver) -> list[str]:
    """A sentence that holds several promises ("I'll open the req Friday and she'll write the JD by 8/8"), split
    where a new subject with a modal starts; a clause without its own subject stays with the one before."""
    names = sorted({n for p in owners.participants for n in (p.name, p.name.split()[0])}, key=len, reverse=True)
    subjects = "|".join([r"i", r"he", r"she", r"they", r"you", r"me", *(re.escape(n) for n in names)])
    pattern = re.compile(rf"{_CLAUSE_SEPARATOR}(?=(?:{subjects}){_CLAUSE_MODAL}|(?:{subjects}){_CLAUSE_REPORT})|"
                         rf"\s+so\s+(?=(?:{subjects})"
                         rf"(?:['’]ll|\s+will|(?:['’]m|\s+am|\s+is|\s+are)\s+going\s+to)\b)",
                         re.IGNORECASE)
    promise = re.compile(rf"(?:^|\s)(?:{subjects}){_CLAUSE_MODAL}", re.IGNORECASE)
    parts, start = [], 0
    for match in pattern.finditer(clause):
        if match.group(0).strip().lower() == "so" and promise.search(clause[start:match.start()]):
            # "Nominations close 11 Sept so I'll submit it by the 10th": after a reason, "so" starts the promise;
            # after a promise ("I'll talk to her manager so she'll have context") it starts its purpose.
            continue
        if match.start() > start:
            parts.append(clause[start:match.start()])
            start = match.end()
    parts.append(clause[start:])
    return [p for p in parts if p.strip()]


# A task said in the passive, with no one named: "A territory plan needs to be drafted by Aug 29".
_PASSIVE = re.compile(r"^(?P<thing>(?:an?|the)\s+[^,;:]{3,80}?)\s+(?:needs?\s+to|has\s+to|have\s+to|must|should|"
                      r"will\s+need\s+to|is\s+to)\s+be\s+(?P<verb>[a-z]+)\b(?P<rest>.*)$", re.IGNORECASE)


def _passive_action(clause: str) -> str | None:
    """The action of a task said in the passive ("A plan needs to be drafted by Friday" -> "draft a plan by
    Friday"); None when the clause is no such task or its verb is no known action."""
    passive = _PASSIVE.match(clause)
    if not passive:
        return None
    word = passive.group("verb").lower()
    base = _IRREGULAR_PARTICIPLES.get(word)
    if base is None and word.endswith("ed"):
        stem = word[:-2]
        base = next((c for c in (stem, stem + "e", stem[:-1] if len(stem) > 2 and stem[-1] == stem[-2] else "",
                                 stem[:-1] + "y" if stem.endswith("i") else "") if c in _ACTION_VERBS), None)
    if base is None or base not in _ACTION_VERBS:
        return None
    thing = passive.group("thing")
    return f"{base} {thing[:1].lower()}{thing[1:]}{passive.group('rest')}"


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
    passive = _passive_action(clause)
    if passive:
        return None, passive
    subject, used = _subject(clause, owners)
    if subject:
        rest = clause[used:]
        known = owners.match_name(subject)[1] > 0 or subject.lower() in _PRONOUNS or bool(_PAIR.search(subject))
        apposition = _APPOSITION.match(rest)
        if apposition and _MODAL.match(rest[apposition.end():]):
            rest = rest[apposition.end():]  # "Tom from the PMO is going to ...", "Dana (enablement) to ..."
        # "we agreed he'd lead", "agreed that Omar would run the retro"
        modal = _MODAL.match(rest) or (re.match(r"^(?:\s*['’]d|\s+would)\s+", rest) if agreed else None)
        if modal and (known or (_STRONG_MODAL.match(rest) and subject[0].isupper()
                                and subject.lower() not in _NOT_A_PERSON)):
            return subject, rest[modal.end():]
        colon = _COLON.match(rest)
        if colon and known and subject.lower() not in ("he", "she", "they", "we"):  # "me:", "her:", "Ben:"
            action = rest[colon.end():]
            if owners.match_name(action)[0]:
                return None, None  # "Employee: Kwame Mensah | Manager: ...": a field that names a person
            quoted = _QUOTED_PROMISE.match(action)
            if quoted:  # 'Ana: "I'll book the exam by Friday."': the one quoted is "I"
                return subject, re.sub(r"[\"”]\s*$", "", action[quoted.end():])
            first_word = action.split()[0].lower() if action.split() else ""
            if context or first_word in _ACTION_VERBS or (find_due_phrase(action) and not _CUE_START.match(action)):
                return subject, action
            return None, None
        verb = re.match(r"^\s+(?P<v>[a-z]+s)\b", rest)
        due_phrase = find_due_phrase(rest)
        deadline = bool(due_phrase and re.match(r"(?:by|before|due|until|till|no later than|within|in\s+\d|in\s+(?:a|one|"
                                                r"two|three|four|five|six)\s)", due_phrase[0], re.IGNORECASE))
        deadline = deadline or bool(sentence.date_hint)  # "Thu 24/09: V. shares the list": a dated plan
        owns = _OWNS.match(rest)
        if owns and known and (re.match(r"^[a-z]+ing\b", owns.group("what")) or deadline):
            return subject, "own " + owns.group("what")  # "she owns the svc now" (no gerund, no deadline) is background
        planned = verb and (verb.group("v") not in _NOT_ACTIONS or _GETS_DONE.match(rest))
        # "ana places the order mon 3/30" is a plan; "she starts leave 3 March" an event
        dated = bool(verb and due_phrase and _EXPLICIT_DATE.search(due_phrase[0])) and \
            verb.group("v") not in _EVENT_VERBS
        if planned and known and (context or deadline or dated or _STARTS.search(rest)):
            # "noah drafts a proposal by 8/14": a present-tense plan with a date is a commitment.
            return subject, _base_form(verb.group("v")) + rest[verb.end():]
        bare = re.match(r"^\s+(?P<v>[a-z]+)\b", rest)
        if bare and known and (context or sentence.date_hint) and bare.group("v") in _ACTION_VERBS:
            return subject, rest.lstrip()
        unknown_to = re.match(r"^\s+to\s+(?P<v>[a-z]+)\b", rest)
        # "Wants to make sure ..." leaves out its subject: a verb is no one's name.
        if unknown_to and not known and subject[:1].isupper() and subject.lower() not in _NOT_A_PERSON \
                and unknown_to.group("v") in _ACTION_VERBS and not _CUE_START.match(subject) \
                and subject.lower() not in _NOT_ACTIONS:
            return subject, rest[unknown_to.end() - len(unknown_to.group("v")):]
        if known:
            return None, None
    # A bare imperative under "Actions:" is an action nobody owns yet; one with a participant's handle is theirs.
    context = context or bool(clause.split() and clause.split()[0].lower() in _ACTION_VERBS
                              and _handle_owner(clause, owners))
    if context and not _CUE_START.match(clause) and not CHECKIN.search(clause) and re.match(r"^[a-z]", clause, re.IGNORECASE) \
            and not _NOT_IMPERATIVE.match(clause) and not _reports_someone(clause):
        return None, clause
    return None, None


# "Hartmann gets his IOSH certificate done by end of Nov": "gets" describes, unless something gets done.
_GETS_DONE = re.compile(r"^\s+gets\s+[^,;.]{1,60}?\b(?:done|finished|completed|sorted|submitted|booked|signed\s+off)\b",
                        re.IGNORECASE)


# A start in the future makes a present tense a plan: "Tom takes over the revision club from Sept".
_STARTS = re.compile(r"\b(?:from|starting(?:\s+(?:in|on|from))?|as\s+of|beginning(?:\s+(?:in|on))?)\s+(?:next\s+\w+|"
                     r"now\s+on|tomorrow|(?:mon|tues|wednes|thurs|fri)day|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|"
                     r"nov|dec)[a-z]*\.?)(?![\w-])", re.IGNORECASE)


def _base_form(verb: str) -> str:
    if re.search(r"(?:sh|ch|x|ss|z)es$", verb):
        return verb[:-2]
    return verb[:-1]
