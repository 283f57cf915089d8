"""Who a subject in the notes is: names, initials, nicknames and pronouns, resolved only to participants."""

from __future__ import annotations

import re
from typing import Literal

from coach.followup.dates import find_due_phrase
from coach.followup.extract.layout import _TITLE_WORDS, _looks_like_title
from coach.followup.extract.model import Participantish
from coach.followup.extract.vocabulary import (
    vocabulary,
    _ACTION_VERBS,
    _NOT_A_PERSON,
    _NOT_INITIALS,
    _NOT_NICKNAMES,
    _PRONOUNS,
    _TITLE_FILLERS,
)

_SUBJECT_WORD = re.compile(r"^(?P<w>[A-Za-z][\w-]*)")


_GENDERED = re.compile(r"\b(?:he|she|him|his|her|hers|he['’](?:s|ll|d)|she['’](?:s|ll|d))\b", re.IGNORECASE)


# Initials before a label, an arrow, a dash or a modal: "P to talk to Carla", "JW - shadow 3 calls".
_INITIALS = re.compile(r"([A-Z]{1,3}|[a-hj-z]|[a-z]{2,3})"
                       r"(?=\s*(?::|->|\s[-–—]\s|\s+to\s|\s+will\s|['’]ll\s)|$)")


# Capital initials before a lower-case verb: "DR owns the RFC", "V. shares the list".
_INITIALS_VERB = re.compile(r"([A-Z]{2,3}|[A-Z])(?P<dot>\.)?(?=\s+[a-z]{2,}\b|$)")


# A capitalised word that may be a short form of a first name ("Raj", "Kat").
_NAME_WORD = re.compile(r"[A-Z][a-z]{2,}(?![\w’'-])")


# Words of a title line besides the employee's name: "1:1 w/ joe", "notes from sofi's chat", "Dre 1:1 11/17".
_TITLE_NAME_WORD = re.compile(r"(?<![\w:/'’-])[A-Za-z]{2,12}(?![\w:/-])")


Author = Literal["manager", "employee", "shared"]
_ROLE_OF = {name: role for role, names in vocabulary()["role_names"].items() for name in names}
# A role at the start of a subject, as a whole word: "Supervisor will", "[Manager]", "student to".
# Only before a label, a bracket, a modal or the end, so that "Lead the retro" stays an imperative.
_ROLE_NAME = re.compile(rf"(?:the\s+|my\s+)?({'|'.join(sorted(map(re.escape, _ROLE_OF), key=len, reverse=True))})"
                        r"(?=\s*(?:[:\])]|\s[-–—]\s|$)|\s+(?:to|will|would|shall|should|can|agreed|and|&)\b|['’]ll\b)",
                        re.IGNORECASE)


class OwnerResolver:
    """Maps a subject in the notes to a participant, never to anyone else."""

    def __init__(self, participants: list[Participantish], notes: str = "", author: Author = "manager") -> None:
        self.participants = participants
        self.author = author  # who wrote the notes: whom "I", "me" and "my" mean
        # Notes that call the employee "he" or "she" use "they" for someone else ("People Ops ... they'll send it").
        self.they_is_plural = bool(_GENDERED.search(notes))
        self.by_role = {role: [p for p in participants if p.role == role] for role in ("manager", "employee", "other")}
        self.aliases = self._title_alias(notes)

    def match_name(self, text: str) -> tuple[str | None, int]:
        """(participant name, characters used) for a name at the start of text; (None, 0) if none. A handle
        ("@dana") is the name after its "@"; a role used as a name ("Supervisor", "Student") is the one
        participant with that role."""
        if text.startswith("@"):
            name, used = self.match_name(text[1:])
            return (name, used + 1) if used else (None, 0)
        role = _ROLE_NAME.match(text)
        if role and not (role.group(1).lower() in _ACTION_VERBS and not text[role.end():].strip()):  # "Lead" alone
            people = self.by_role[_ROLE_OF[role.group(1).lower()]]
            if len(people) == 1:
                return people[0].name, role.end()
        lowered = text.lower()
        candidates: list[tuple[int, str]] = []
        for p in self.participants:
            full = p.name.lower()
            parts = full.split()
            options = {full, parts[0], " ".join(parts[:-1])}  # "Mei Lin" of "Mei Lin Zhou": a two-word first name
            options |= {alias for alias, name in self.aliases.items() if name == p.name}
            if len(parts) > 1 and sum(q.name.lower().split()[-1] == parts[-1] for q in self.participants) == 1:
                options.add(parts[-1])
            for option in options:
                if re.match(rf"{re.escape(option)}(?![\w])", lowered):
                    candidates.append((len(option), p.name))
        if not candidates:
            nickname = self._nickname(text)
            if nickname:
                return nickname
        initial = _INITIALS.match(text) or self._initials_before_verb(text)
        if not candidates and initial and initial.group(1) not in _NOT_INITIALS:
            # "P to talk to Carla", "JW - shadow 3 calls", "j will finish the course", "jr to run standups":
            # initials stand for the one participant whose first name (or first and last name) they spell;
            # lower-case ones of two or three letters must spell all of the name's initials.
            letters = initial.group(1).upper()
            exact = initial.group(1).islower() and len(letters) > 1
            matches = [p.name for p in self.participants
                       if (initials := "".join(part[0] for part in p.name.split()).upper()).startswith(letters)
                       and (len(letters) > 1 or p.name[:1].upper() == letters) and (not exact or initials == letters)]
            return (matches[0], initial.end()) if len(matches) == 1 else (None, 0)
        if not candidates:
            return None, 0
        longest = max(length for length, _ in candidates)
        names = {name for length, name in candidates if length == longest}
        return (names.pop(), longest) if len(names) == 1 else (None, longest)

    def _title_alias(self, notes: str) -> dict[str, str]:
        """{nickname: employee} for the one name a 1:1's title line calls its one employee ("Dre 1:1 11/17",
        "jay - career"): a word that is no title word, no date and no one else's name, and that shares its first
        letter with the employee's first name or is part of it; empty when the title names no such word."""
        lines = [line for line in notes.splitlines() if line.strip()]
        employees = self.by_role["employee"]
        if not lines or len(employees) != 1 or not _looks_like_title(lines[0]):
            return {}
        first = employees[0].name.split()[0].lower()
        words = [w for w in _TITLE_NAME_WORD.findall(_TITLE_WORDS.sub(" ", lines[0])) if not self._known_word(w)]
        if len(words) != 1:
            return {}
        word = words[0].lower()
        return {word: employees[0].name} if word[0] == first[0] or word in first else {}

    def _known_word(self, word: str) -> bool:
        """A word of a title line that is no nickname: a participant's name, an acronym, a common or date word."""
        lowered = word.lower()
        return (word.isupper() or lowered in _NOT_NICKNAMES | _ACTION_VERBS | _NOT_A_PERSON | _NOT_INITIALS
                or lowered in _PRONOUNS or lowered in _TITLE_FILLERS or bool(find_due_phrase(word))
                or any(lowered in p.name.lower().split() for p in self.participants))

    def _nickname(self, text: str) -> tuple[str, int] | None:
        """A short form of one participant's first name ("Raj" for Rajesh, "Alex" for Alexandra): a capitalised
        word of three letters or more that begins exactly one participant's first name; None otherwise."""
        word = _NAME_WORD.match(text)
        if not word or word.group(0).lower() in _NOT_NICKNAMES | _ACTION_VERBS | _NOT_A_PERSON | set(_PRONOUNS):
            return None
        short = word.group(0).lower()
        matches = [p.name for p in self.participants
                   if p.name.split()[0].lower().startswith(short) and p.name.split()[0].lower() != short]
        return (matches[0], word.end()) if len(matches) == 1 else None

    def _initials_before_verb(self, text: str) -> re.Match[str] | None:
        """Capital initials before a verb ("DR owns the RFC", "V. shares the list"): all of one participant's
        initials, or one initial with its full stop; None when they spell no one's."""
        found = _INITIALS_VERB.match(text)
        if not found:
            return None
        letters = found.group(1)
        spelled = ["".join(part[0] for part in p.name.split()).upper() for p in self.participants]
        if len(letters) == 1:
            return found if found.group("dot") else None  # "V. shares", never "A lot"
        if not found.group("dot") and spelled.count(letters) == 1:
            return found
        return None

    def addressee(self, speaker: str) -> str | None:
        """Whom a speaker in a transcript says "you" to: the manager's one employee, or the employee's one manager."""
        name = self.match_name(speaker)[0]
        role = next((p.role for p in self.participants if p.name == name), None)
        other = {"manager": "employee", "employee": "manager"}.get(role or "")
        people = self.by_role.get(other or "", [])
        return people[0].name if len(people) == 1 else None

    def resolve(self, subject: str) -> tuple[str | None, list[str]]:
        """(owner, flags) for a subject: a participant name, a pronoun, "we", or someone else."""
        word = subject.strip().lower()
        if re.search(r"\band\b|&|\+", word):
            return None, ["owner unclear", "shared owner"]
        if word in _PRONOUNS:
            role = self._pronoun_role(word)
            if role is None:
                return None, ["owner unclear"]
            if word in ("they", "them") and self.they_is_plural:
                return None, ["owner unclear"]
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


    def _pronoun_role(self, word: str) -> str | None:
        """The role a pronoun stands for, given who wrote the notes: "I" is the author (no one in shared notes,
        where only a speaker label says who "I" is), "you" and "he"/"she" the other of the two."""
        role = _PRONOUNS[word]
        if self.author == "manager" or role == "shared":
            return role
        if role == "manager":  # I, me, my
            return self.author if self.author != "shared" else None
        if self.author == "employee":  # you, he, she, they: the employee writes about the manager
            return "manager"
        return None  # shared notes: "you" and "he" could be either


# Both people in the meeting as the subject: "The two of us will present it", "both of us to review": "we".
_JOINT_SUBJECT = re.compile(r"^(?:the\s+(?:two|2)\s+of\s+us|both\s+of\s+us|us\s+both|you\s+and\s+I)\b",
                            re.IGNORECASE)


def _subject(body: str, owners: OwnerResolver) -> tuple[str | None, int]:
    """The subject at the start of a clause and its length: a participant, a pronoun, "X and I", or a name; the
    two people of the meeting together ("the two of us") are "we"."""
    joint = _JOINT_SUBJECT.match(body)
    if joint:
        return "we", joint.end()
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
    pair = re.match(r"^(?P<a>[A-Z][\w’'-]*)\s+(?:and|&|\+)\s+(?P<b>[A-Z][\w’'-]*)\b", body)
    if pair and owners.match_name(pair.group("a"))[0] and owners.match_name(pair.group("b"))[0]:
        return pair.group(0), pair.end()  # "FL & HY - walk through the draft": both own it
    return token, len(token)
