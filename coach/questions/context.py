"""Pulls the things a manager mentioned ("led the payments retry rewrite", "skip-level feedback said...") out of
free-text context, ranked, and addresses them to the employee ("your SQL dashboards", "the March outage").

Managers write context as fragments: "Airflow cluster migration done, zero data loss. on-call still heavy".
There is no parser to lean on offline, so candidates are noun phrases that end in a word naming a piece of work
or an event (migration, launch, deal, feedback, outage, ...), extended left over their modifiers, or the object
after a verb of doing ("led", "shipped", "saved", "inherited"). They are scored on how specific they are (a proper
name, an acronym, several modifiers), on being the object of such a verb, and on coming early.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Words that name a piece of work, an artefact or an event: the head of a topic phrase.
WORK_HEADS = {
    "migration", "rewrite", "rebuild", "refactor", "redesign", "revamp", "overhaul", "rollout", "roll-out", "launch",
    "release", "upgrade", "integration", "experiment", "pilot", "prototype", "poc", "mvp", "rfc", "adr", "spec",
    "proposal", "design", "dashboard", "report", "reporting", "model", "pipeline", "service", "api", "system",
    "platform", "tool", "tooling", "app", "feature", "page", "flow", "funnel", "project", "programme", "program",
    "initiative", "workstream", "roadmap", "plan", "strategy", "campaign", "series", "webinar", "event", "conference",
    "talk", "presentation", "demo", "deck", "workshop", "training", "course", "certification", "bootcamp",
    "hackathon", "offsite", "deal", "account", "renewal", "contract", "pitch", "bid", "rfp", "expansion", "upsell",
    "outage", "incident", "postmortem", "post-mortem", "retro", "escalation", "audit", "review", "feedback",
    "reorg", "re-org", "restructure", "restructuring", "transition", "handover", "hand-over", "onboarding", "leave",
    "sabbatical", "secondment", "rotation", "promotion", "process", "playbook", "framework", "guide", "docs",
    "documentation", "articles", "article", "doc", "document", "survey", "study", "research", "interviews",
    "analysis", "forecast", "budget", "close", "hire", "hiring", "calls", "call", "sessions", "session",
    "backlog", "sprint", "okrs", "okr", "goal", "goals", "pod", "squad", "guild", "chapter",
    "checklist", "template", "library", "module", "schema", "database", "cluster", "queue", "migrations", "models",
    "dashboards", "reports", "demos", "deals", "accounts", "renewals", "launches", "experiments",
    "team", "morale", "target", "promo", "mart", "warehouse", "spike", "dip", "drop", "planning", "quarter", "week",
    "cycle", "quota", "targets", "standup",
    "standups", "retrospective", "keynote", "paper", "patent", "mentorship", "apprenticeship", "internship",
}
# Heads so broad that a phrase needs a specific modifier to be worth naming ("the team" says nothing).
BROAD_HEADS = {"project", "work", "team", "plan", "goal", "goals", "process", "feedback", "review", "call", "calls",
               "session", "sessions", "event", "talk", "feature", "tool", "system", "service", "page", "flow", "design",
               "report", "doc", "document", "model", "account", "close", "hire", "quarter", "week", "cycle", "targets",
               "standup", "standups"}
# Things that belong to the person: addressed as "your ..." when the note gives no determiner.
PERSONAL_HEADS = {"leave", "sabbatical", "secondment", "promotion", "onboarding", "certification", "rotation",
                  "goals", "okrs", "talk", "presentation"}
# Verbs of doing whose object is the thing the person did (the object is a strong topic).
DOING = {
    "led", "leading", "mentoring", "coaching", "ran", "running", "run", "shipped", "shipping", "launched", "launching",
    "finished", "finishing",
    "delivered", "delivering", "built", "building", "rebuilt", "rebuilding", "wrote", "writing", "written", "drafted",
    "designed", "redesigned", "designing", "owned", "owns", "owning", "managed", "managing", "drove", "driving",
    "handled", "handling", "organised", "organized", "organising", "organizing", "planned", "presented", "presenting",
    "closed", "closing", "won", "lost", "saved", "landed", "signed", "completed", "wrapped", "fixed", "resolved",
    "migrated", "mentored", "onboarded", "hired", "inherited", "took", "picked", "started", "kicked", "joined",
    "moved", "rolled", "coordinated", "facilitated", "hosted", "gave", "published", "released", "refactored",
    "rewrote", "revamped", "overhauled", "piloted", "proposed", "pitched", "negotiated", "renewed", "escalated",
    "discussed", "covered", "mentioned", "raised",
}
NUMBERS = {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
           "couple", "few", "several"}
# Words that can never sit inside a topic phrase: they end the leftward extension.
FUNCTION = {
    "a", "an", "the", "her", "his", "their", "my", "our", "your", "its", "this", "that", "these", "those", "some",
    "and", "or", "but", "of", "in", "on", "at", "to", "for", "from", "with", "by", "about", "after", "before",
    "during", "over", "under", "into", "across", "around", "since", "until", "via", "per", "as", "than", "then",
    "so", "because", "while", "when", "where", "which", "who", "what", "how", "why", "if", "is", "are", "was",
    "were", "be", "been", "being", "has", "have", "had", "do", "does", "did", "not", "no", "it", "he", "she", "they",
    "we", "i", "you", "him", "them", "me", "us", "very", "really", "still", "also", "just", "all", "most", "more",
    "much", "many", "any", "each", "every", "both", "either", "own", "up", "out", "off", "down", "back", "done",
    "went", "got", "said", "says", "felt", "feels", "seems", "made", "make", "get", "will", "would", "could",
    "should", "can", "might", "may", "must", "there", "here", "too", "only", "even", "again", "already", "yet",
    "last", "next", "week", "weeks", "month", "months", "year", "years", "day", "days", "quarter", "today",
    "yesterday", "ago", "tho", "though", "twice", "once", "w", "w/", "bc", "re", "vs", "etc", "i.e.", "e.g.", "ok", "okay",
} | DOING | NUMBERS | {"on", "about", "from", "for", "regarding", "around"}
# Modifiers that do not make a phrase specific ("first solo project").
GENERIC_MODIFIERS = {"first", "new", "big", "small", "recent", "latest", "solo", "whole", "current", "main", "major",
                     "minor", "little", "entire", "same", "other", "second", "third", "final", "initial", "good",
                     "great", "bad", "tough", "hard", "huge", "next", "last", "previous", "own"}
MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"}
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9'&/+#.-]*[A-Za-z0-9+#]|[A-Za-z0-9]")
_CLAUSE_BREAK = re.compile(r"\.(?=\s|$)|[;:!?()\[\]\n\u2014\u2013]|\s-\s|,|\s(?:but|though|although|while|whereas)\s",
                           re.IGNORECASE)
_VERSION = re.compile(r"^(v\d+(\.\d+)*|\d+(\.\d+)?|2\.0|3\.0|ii|iii)$", re.IGNORECASE)
MAX_MODIFIERS = 4
# Prepositions after a work word that carry its name on ("secondment to the Payments team", "talk at PyData").
NAMING_PREPOSITIONS = {"to", "at", "for", "with", "on", "in"}
TALKED_ABOUT = {"on", "about", "regarding"}
SECOND_TOPIC_SCORE = 2.75  # a second topic must be as specific as "the queue migration"
DETERMINERS = {"the", "a", "an", "her", "his", "their", "my", "our", "your"}


@dataclass(frozen=True)
class _Candidate:
    words: tuple[str, ...]
    determiner: str
    score: float
    position: int

    @property
    def key(self) -> str:
        return " ".join(w.lower() for w in self.words)


def _singular(word: str) -> str:
    lower = word.lower()
    return lower[:-1] if lower.endswith("s") and lower[:-1] in WORK_HEADS else lower


def _is_head(word: str) -> bool:
    return word.lower() in WORK_HEADS or _singular(word) in WORK_HEADS


def _is_modifier(word: str) -> bool:
    """A word that can stand before a work word in its name: not a function word, an adverb or a bare count."""
    lower = word.lower()
    return not (lower in FUNCTION or lower.endswith("ly") and len(lower) > 4 or re.fullmatch(r"\d+%?|~\d+", lower))


def _specific(word: str) -> bool:
    """A proper name, an acronym, a version or a hyphenated compound makes a phrase specific."""
    return bool(re.fullmatch(r"[A-Z][\w'&/.-]*|[a-z]+[A-Z]\w*|\w+-\w+|v\d+|[A-Za-z]*\d[\w.]*", word)) and \
        word.lower() not in MONTHS | {"i"}


def _version_of_name(tokens: list[str], index: int) -> bool:
    """A number right after a name is part of it: "the Postgres 16 upgrade", "the Python 3.12 migration"."""
    return bool(re.fullmatch(r"\d+(\.\d+)*", tokens[index])) and index > 0 and _proper(tokens[index - 1])


def _past_tense(word: str) -> bool:
    """'slipped', 'ended': a verb after the name, not part of it."""
    return word.islower() and len(word) > 4 and word.endswith("ed") and word not in WORK_HEADS


def _proper(word: str) -> bool:
    """A name: capitalised or an acronym, not a month, a weekday word or 'I'."""
    return bool(re.fullmatch(r"[A-Z][\w'&/.-]*", word)) and word.lower() not in MONTHS | FUNCTION | {"i"}


# A clause about what is expected or planned, not what happened, gives no topic: the questions ask the person to
# think back on it ("The PM team expects to open an associate PM role on integrations in Q3" gave "When you think
# back on the integrations in Q3, ..." and "How did the PM team play out ...?").
# A date alone does not make a clause forward-looking: "budget planning for next year" is work going on now.
_FORWARD = re.compile(r"\b(?:expects?|expected to|will|won't|plans? to|going to|hoping to|upcoming|pending|"
                      r"under review|awaiting|not (?:yet )?decided|yet to be)\b|['’]ll\b", re.IGNORECASE)


def _candidates(text: str) -> list[_Candidate]:
    found: list[_Candidate] = []
    position = 0
    for clause in _CLAUSE_BREAK.split(text):
        if not _FORWARD.search(clause):  # the questions ask how a topic went: it must be something that happened
            found += _clause_candidates(clause, position)
        position += len(_TOKEN.findall(clause))
    return found


def _clause_candidates(clause: str, position: int) -> list[_Candidate]:
    found: list[_Candidate] = []
    tokens = _TOKEN.findall(clause)
    for i, token in enumerate(tokens):
        position += 1
        if not _is_head(token) or i + 1 < len(tokens) and _is_head(tokens[i + 1]) \
                and tokens[i + 1].lower() not in FUNCTION:
            continue  # take the last head of a compound ("cluster migration"), not the first
        start = i
        while start > 0 and i - start < MAX_MODIFIERS and (_is_modifier(tokens[start - 1]) or _version_of_name(
                tokens, start - 1)):
            start -= 1
        end = i + 1
        if end < len(tokens) and _VERSION.match(tokens[end]) and not tokens[end].isdigit():
            end += 1  # "recommendation model v2"
        elif end + 1 < len(tokens) and tokens[end].lower() in NAMING_PREPOSITIONS | {"of"}:
            tail = end + 1 + (tokens[end + 1].lower() in ("the", "our", "her", "his", "their"))
            stop = tail
            while stop < len(tokens) and stop - tail < MAX_MODIFIERS and _is_modifier(tokens[stop]) \
                    and not _past_tense(tokens[stop]):
                stop += 1
                if _is_head(tokens[stop - 1]) or _VERSION.match(tokens[stop - 1]):
                    break  # the named thing ends at its own work word or version
            named = any(_proper(t) for t in tokens[tail:stop])
            if stop > tail and (tokens[end].lower() == "of" or named):
                end = stop  # "the reorg of the platform group", "the postmortem for the March outage"
        words = tuple(tokens[start:end])
        before = tokens[start - 1].lower() if start > 0 else ""
        before2 = tokens[start - 2].lower() if start > 1 else ""
        determiner = before if before in DETERMINERS else ""
        found.append(_Candidate(words, determiner, _score(words, before, before2, determiner), position))
    found += _objects(tokens, position, has_head=any(_is_head(t) for t in tokens))
    return found


def _objects(tokens: list[str], position: int, has_head: bool) -> list[_Candidate]:
    """With no work word in the clause, the object of a verb of doing ("mentoring the two summer interns")."""
    out = []
    for i, token in enumerate(tokens):
        if token.lower() not in DOING:
            continue
        start = i + 1
        determiner = tokens[start].lower() if start < len(tokens) and tokens[start].lower() in DETERMINERS else ""
        start += bool(determiner)
        while start < len(tokens) and (tokens[start].lower() in NUMBERS or tokens[start].isdigit()):
            start += 1  # "the two summer interns"
        end = start
        while end < len(tokens) and end - start < MAX_MODIFIERS + 1 and _is_modifier(tokens[end]):
            end += 1
        words = tuple(tokens[start:end])
        if any(_is_head(w) for w in words):
            continue  # already a candidate of its own
        if any(_proper(w) for w in words):
            out.append(_Candidate(words, determiner, 3.5, position))  # "renewed Brightwave"
        elif len(words) >= 2 and not has_head:
            out.append(_Candidate(words, determiner, 1.6, position))  # "mentoring the two summer interns"
    return out


def _score(words: tuple[str, ...], before: str, before2: str, determiner: str) -> float:
    head = words[-1] if not _VERSION.match(words[-1]) else words[-2] if len(words) > 1 else words[-1]
    modifiers = [w for w in words if w is not head]
    meaningful = [w for w in modifiers if w.lower() not in GENERIC_MODIFIERS]
    score = 2.0
    if _singular(head) in BROAD_HEADS or head.lower() in BROAD_HEADS:
        score -= 1.5 if not meaningful else 0.5
    score += min(len(meaningful), 2) * 0.75
    if any(_specific(w) for w in words):
        score += 1.0
    verb = before2 if determiner else before
    if verb in DOING:
        score += 1.0  # the object of "led", "shipped", "saved"
    elif verb in TALKED_ABOUT:
        score += 0.5  # "talked about her dashboards"
    if len(words) == 1 and not _specific(words[0]):
        score -= 0.75
    return score


_SENTENCE_START = re.compile(r"(^|[.!?;:]\s+|\n\s*[-*]?\s*)([A-Z][a-z]+)\b")
# Word endings of common nouns, verbs and adjectives ("Peer", "Hiring", "Missed", "Calibration"): capitalised at the
# start of a sentence only because of where they stand, unlike a name ("Priya", "Halden Foods").
_COMMON_ENDINGS = ("ed", "ing", "ion", "ions", "ment", "ments", "ness", "ity", "er", "ers", "ance", "ence", "ship",
                   "al", "ive", "ful", "less", "ous", "ic", "ics", "ly")


def _lower_sentence_starts(text: str) -> str:
    """Lower-case a sentence's first word when it is a common word, so it is not taken for a name in a topic."""
    def lower(match: re.Match[str]) -> str:
        word = match.group(2)
        common = (word.lower() in FUNCTION or _is_head(word) or word.lower().endswith(_COMMON_ENDINGS)) \
            and word.lower() not in MONTHS
        return match.group(1) + (word.lower() if common else word)

    return _SENTENCE_START.sub(lower, text)


def extract_topics(context: str, limit: int = 2) -> list[str]:
    """Up to `limit` noun phrases naming what the context is about, best first, addressed to the employee."""
    text = _lower_sentence_starts(" ".join(context.split()))
    if not text:
        return []
    ranked = sorted(_candidates(text), key=lambda c: (-c.score, c.position))
    chosen: list[_Candidate] = []
    for candidate in ranked:
        if candidate.score < (1.5 if not chosen else SECOND_TOPIC_SCORE):
            break
        if any(set(candidate.key.split()) & set(other.key.split()) for other in chosen):
            continue  # the same thing named twice ("the rollout" after "the billing rollout")
        chosen.append(candidate)
        if len(chosen) == limit:
            break
    return [_cut_at_verb(_address(c)) for c in chosen]


_VERB_AFTER = re.compile(r"\s+(?:\w+n't|is|was|were|are|has|had|have|did|does|got|went)\b.*$", re.IGNORECASE)


def _cut_at_verb(topic: str) -> str:
    """A topic is a noun phrase: "the promo to Senior PM didn't go" -> "the promo to Senior PM"."""
    return _VERB_AFTER.sub("", topic)


def extract_topic(context: str) -> str | None:
    """The best topic of the context ("your SQL dashboards"), or None when it names no piece of work or event."""
    topics = extract_topics(context, limit=1)
    return topics[0] if topics else None


def _address(candidate: _Candidate) -> str:
    """'her dashboards' becomes 'your dashboards', a bare phrase gets 'the': the questions speak to the employee."""
    phrase = " ".join(candidate.words)
    if re.match(r"^[A-Z][\w-]*'s\b", phrase) or not candidate.determiner and _proper(candidate.words[0]) \
            and not _is_head(candidate.words[-1]):
        return phrase  # "Mateo's accounts", "Halden Foods"
    if candidate.determiner in ("her", "his", "their", "my", "your"):
        return f"your {phrase}"
    if not candidate.determiner and _singular(candidate.words[-1]) in PERSONAL_HEADS:
        return f"your {phrase}"
    return f"the {phrase}"
