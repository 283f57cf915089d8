"""Follow-up summaries of a career conversation from the manager's notes, without an LLM."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from coach.followup.extract import (
    CHECKIN,
    Author,
    Decision,
    OwnerResolver,
    Participantish,
    Sentence,
    find_next_check_in,
    parse_commitments,
    split_sentences,
)
from coach.templating import render_document

MAX_LIST_ITEMS = 8


class Participant(BaseModel):
    """Someone in the conversation; only participants can own a commitment."""

    name: str = Field(min_length=1, max_length=120, description="As the notes should refer to them.")
    role: Literal["manager", "employee", "other"]


class Commitment(BaseModel):
    """One agreed action: who, what, by when, how we will know, and the quote it came from."""

    owner: str | None = Field(description="A participant's name exactly as given, or null when unclear.")
    action: str
    due: date | None = Field(description="Resolved against the meeting date; null when none or unresolvable.")
    due_phrase: str | None = Field(description="The words in the notes the due date came from.")
    success_indicator: str | None = None
    competency_ids: list[str] = Field(default_factory=list)
    evidence: str = Field(description="An exact quote from the notes.")
    flags: list[str] = Field(default_factory=list,
                             description="What a person should check: owner unclear, no due date...")
    source: Literal["rules", "llm", "both"] = Field("rules", description="Which engine found it; 'both' when they agree.")


class ResourceCommitted(BaseModel):
    """Support the organisation committed: mentoring, a course, budget, a conference, time, a book."""

    kind: Literal["mentoring", "course", "budget", "conference", "time", "book"]
    description: str
    evidence: str = Field(description="An exact quote from the notes.")


class FollowUpSummary(BaseModel):
    """The follow-up of a career conversation, as data and as Markdown and e-mail drafts."""

    recap: list[str] = Field(description="Three to five sentences, built only from the notes.")
    reflections: list[str] = Field(default_factory=list)
    aspirations: list[str] = Field(default_factory=list)
    concerns: list[str] = Field(default_factory=list)
    feedback: list[str] = Field(default_factory=list, description="Feedback the manager gave: praise or what to improve.")
    commitments: list[Commitment] = Field(default_factory=list)
    resources: list[ResourceCommitted] = Field(default_factory=list)
    next_check_in: date | None = None
    markdown: str = ""
    email: str = ""
    source: Literal["rules", "llm", "rules+llm"] = Field(
        "rules", description="'rules+llm' when the model's commitments were merged into the rules engine's.")
    llm_rejected: str | None = Field(None, description="Why an LLM draft was not used, when one was tried.")


# --- cues ------------------------------------------------------------------------------------------

_CONCERN = re.compile(r"\b(?:worr(?:y|ied|ies)|concern(?:s|ed)?|unsure|not sure|isn'?t sure|blockers?|frustrat\w*|"
                      r"risks?|struggl\w*|stuck|overwhelm\w*|anxious|nervous|imposter|lacks?|burn(?:ed|t)?[- ]?out|"
                      r"plateau\w*)\b", re.IGNORECASE)
_ASPIRATION = re.compile(r"\b(?:wants? to|want to|would like to|['’]d like to|keen to|eager to|interested in|"
                         r"interest in|aspir\w*|long[- ]term|goal|"
                         r"aiming|aims? (?:for|to)|hopes? to|career path|move (?:into|toward|towards|to)|"
                         r"grow into|become)\b", re.IGNORECASE)
_REFLECTION = re.compile(r"\b(?:felt|feels|enjoyed|enjoys|proud|learn(?:ed|t)|reflected|went well|liked|loved|"
                         r"highlight|grateful|satisfied|happy with)\b", re.IGNORECASE)
# Feedback the manager gave: praise, what to improve, the impact of the work. Checked before the other kinds, so
# "needs to work on her stakeholder updates" is feedback, not a concern, and "I told him he's ready to lead" is
# not an aspiration.
_FEEDBACK = re.compile(r"\b(?:I|we)\s+(?:told|let|gave|shared\s+with|praised|thanked|complimented|recognised|recognized)"
                       r"\s+(?:him|her|them|you|[A-Z][a-z]+)\b(?!\s+(?:to|will|would|I['’]ll|I\s+will)\b)|"
                       r"\b(?:(?:really\s+)?(?:great|good|nice|excellent|solid|strong|fantastic|amazing)\s+"
                       r"(?:job|work|stuff)\s+(?:on|with|in|at|this|last)|well\s+done|kudos|props\s+(?:to|for)|"
                       r"shout[- ]?out|(?:positive|constructive|critical|direct|honest|peer|360)\s+feedback|"
                       r"feedback\s+(?:on|about|from\s+me|was)|"
                       r"needs?\s+to\s+(?:work\s+on|improve|get\s+better\s+at)|"
                       r"(?:could|should|can)\s+(?:improve|be\s+(?:more|less|clearer|better))|"
                       r"(?:room|area)s?\s+(?:for|to)\s+(?:improvement|grow)|"
                       r"(?:big|real|huge|clear|visible|measurable|noticeable|positive)\s+(?:impact|difference)|"
                       r"impact\s+(?:on|of)\s+(?:the|his|her|their|your)|made\s+a\s+(?:real\s+|big\s+|huge\s+)?difference|"
                       r"exceed(?:s|ed)?\s+expectations|above\s+and\s+beyond|stepped\s+up)\b",
                       re.IGNORECASE)
_IMPROVE = re.compile(r"\bneeds?\s+to\s+(?:work\s+on|improve|get\s+better\s+at)\b", re.IGNORECASE)
_LABEL_KIND = {"feedback": "feedback", "praise": "feedback", "kudos": "feedback", "recognition": "feedback",
               "shout": "feedback", "concern": "concerns", "risk": "concerns", "blocker": "concerns", "worr": "concerns",
               "issue": "concerns", "goal": "aspirations", "aspiration": "aspirations", "long": "aspirations",
               "reflection": "reflections", "win": "reflections", "highlight": "reflections"}
_RESOURCES: list[tuple[str, re.Pattern[str]]] = [
    ("mentoring", re.compile(r"\bmentor(?:s|ing|ship)?\b|\bsponsor\b|\bcoach(?:ing)?\b|"
                             r"\bpair(?:s|ing)? (?:her|him|them)?\s*"
                             r"(?:up )?with\b", re.IGNORECASE)),
    ("course", re.compile(r"\b(?:course|training|certification|cert|workshop|class|bootcamp)\b", re.IGNORECASE)),
    ("budget", re.compile(r"\bbudget\b|\bfunding\b|\bticket\b|\breimburs\w*", re.IGNORECASE)),
    ("conference", re.compile(r"\bconference\b|\bsummit\b|\bmeetup\b|\bconf\b|\bLeadDev\b|\bStrange Loop\b",
                              re.IGNORECASE)),
    ("time", re.compile(r"\b\d{1,3}\s?%\s+(?:of\s+(?:his|her|their|my|your)\s+)?time\b|\b\w+days? for learning\b|"
                        r"\blearning (?:day|time|hours?)\b|\bfocus (?:time|mornings?|days?|afternoons?)\b|"
                        r"\b\d+ hours? (?:a|per) week\b", re.IGNORECASE)),
    ("book", re.compile(r"(?<!\bto )(?<!\bwill )(?<!['’]ll )\bbooks?\b(?!\s+(?:the|a|an|his|her|their|some|time|"
                        r"slot|room|exam|session|meeting)\b)|\bread(?:ing)?\s+[\"“]|"
                        r"\bsend\w*\s+(?:her|him|them)\s+[\"“]",
                        re.IGNORECASE)),
]


def _classify(sentence: Sentence) -> str | None:
    if sentence.label:
        for prefix, kind in _LABEL_KIND.items():
            if sentence.label.startswith(prefix):
                return kind
    text = sentence.body
    if _FEEDBACK.search(text):
        return "feedback"
    if _CONCERN.search(text):
        return "concerns"
    if _ASPIRATION.search(text):
        return "aspirations"
    if _REFLECTION.search(text):
        return "reflections"
    return None


def _tidy(text: str) -> str:
    text = " ".join(text.split()).strip(" .;,-–—")
    return text[:1].upper() + text[1:]


def _resources(commitments: list[Commitment]) -> list[ResourceCommitted]:
    found: list[ResourceCommitted] = []
    seen: set[tuple[str, str]] = set()
    for c in commitments:
        text = f"{c.action} {c.evidence}"
        for kind, pattern in _RESOURCES:
            if pattern.search(text) and (kind, c.evidence) not in seen:
                seen.add((kind, c.evidence))
                found.append(ResourceCommitted(kind=kind, description=c.action, evidence=c.evidence))
    return found


def _recap(participants: list[Participant], meeting_date: date, lists: dict[str, list[str]],
           first_statement: str | None, commitments: list[Commitment], next_check_in: date | None) -> list[str]:
    people = "; ".join(f"{p.name} ({p.role})" for p in participants)
    recap = [f"Career conversation on {meeting_date.isoformat()} ({meeting_date:%A}) with {people}."]
    if lists["aspirations"]:
        recap.append(f"Aspirations discussed: {'; '.join(lists['aspirations'][:2])}.")
    elif first_statement:
        recap.append(f"The notes open with: {first_statement}.")
    mood = [f"Reflections: {lists['reflections'][0]}"] if lists["reflections"] else []
    mood += [f"Concerns: {lists['concerns'][0]}"] if lists["concerns"] else []
    if mood:
        recap.append(". ".join(mood) + "." if len(mood) == 1 else f"{mood[0]}; {mood[1][0].lower()}{mood[1][1:]}.")
    if commitments:
        counts = Counter(c.owner or "no clear owner" for c in commitments)
        per_owner = ", ".join(f"{n} for {owner}" for owner, n in counts.items())
        noun = "commitment was" if len(commitments) == 1 else "commitments were"
        recap.append(f"{len(commitments)} {noun} recorded ({per_owner}).")
    else:
        recap.append("No commitments were recorded in the notes.")
    recap.append(f"Next check-in: {next_check_in.isoformat()}." if next_check_in
                 else "The notes set no date for the next check-in.")
    return recap[:5]


def draft_summary(notes: str, meeting_date: date, participants: list[Participant], *,
                  link_competencies: Callable[[str], list[str]] | None = None,
                  decisions: list[Decision] | None = None, author: Author = "manager") -> FollowUpSummary:
    """The rules engine's follow-up summary: every commitment quotes the notes, every owner is a participant.
    `author` says who wrote the notes, so whom "I" means (in shared notes only a speaker label says).
    With `decisions`, the fate of every segment and candidate is appended to it (kept, or dropped and why)."""
    sentences = split_sentences(notes)
    owners = OwnerResolver([Participantish(p.name, p.role) for p in participants], notes, author)
    next_check_in = find_next_check_in(sentences, meeting_date)
    commitments: list[Commitment] = []
    lists: dict[str, list[str]] = {"reflections": [], "aspirations": [], "concerns": [], "feedback": []}
    first_statement = None
    for sentence in sentences:
        dropped = len(decisions) if decisions is not None else 0
        parsed = parse_commitments(sentence, owners, meeting_date, next_check_in, decisions)
        if parsed and _IMPROVE.search(sentence.body) and not sentence.action_context and \
                all(p.due is None for p in parsed):
            # "He needs to work on his stakeholder updates": feedback on what to improve, not an agreed action.
            for p in parsed:
                _note(decisions, p.evidence, p.action, False, "feedback, not a commitment")
            parsed = []
        for p in parsed:
            if p.due_phrase and p.due is None and re.search(r"check|1[:-]1|catch", p.due_phrase, re.I) \
                    and next_check_in is None:
                p.flags.append("due before the next check-in, which has no date")
            restated = bool(commitments) and len(p.action.split()) == 1 and commitments[-1].evidence == p.evidence
            if commitments and (_PRONOUN_ACTION.match(p.action) or restated) and commitments[-1].owner == p.owner:
                # "... - she'll get it launched by 3/24" finishes the promise before it, and "sign up for the
                # workshop (next one is 4/9), he'll register by fri" restates it in one word: keep one, with the
                # date, and a restated deadline ("by fri") over a date merely mentioned.
                deadline = restated and p.due is not None and _DEADLINE_WORD.match(p.due_phrase or "") and \
                    not _DEADLINE_WORD.match(commitments[-1].due_phrase or "")
                if (commitments[-1].due is None or deadline) and p.due is not None:
                    commitments[-1] = commitments[-1].model_copy(update={"due": p.due, "due_phrase": p.due_phrase})
                _note(decisions, p.evidence, p.action, False, f"finishes commitment {len(commitments)}")
                continue
            ids = link_competencies(p.action) if link_competencies else []
            commitments.append(Commitment(owner=p.owner, action=p.action, due=p.due, due_phrase=p.due_phrase,
                                          success_indicator=p.success_indicator, competency_ids=list(ids),
                                          evidence=p.evidence, flags=p.flags))
            _note(decisions, p.evidence, p.action, True, f"commitment {len(commitments)}")
        if decisions is not None and not parsed and len(decisions) == dropped:
            _note(decisions, sentence.text, None, False,
                  "the next check-in" if CHECKIN.search(sentence.body) else
                  f"no commitment: {_classify(sentence) or 'background'}")
        if parsed or CHECKIN.search(sentence.body):
            continue
        kind = _classify(sentence)
        if kind and len(lists[kind]) < MAX_LIST_ITEMS:
            lists[kind].append(_tidy(sentence.body))
        elif kind is None and first_statement is None and not sentence.title and len(sentence.body.split()) >= 5:
            first_statement = _tidy(sentence.body)
    summary = FollowUpSummary(
        recap=_recap(participants, meeting_date, lists, first_statement, commitments, next_check_in),
        reflections=lists["reflections"], aspirations=lists["aspirations"], concerns=lists["concerns"],
        feedback=lists["feedback"],
        commitments=commitments, resources=_resources(commitments), next_check_in=next_check_in)
    return render_summary(summary, participants=participants, meeting_date=meeting_date)


def _note(decisions: list[Decision] | None, evidence: str, action: str | None, kept: bool, reason: str) -> None:
    if decisions is not None:
        decisions.append(Decision(evidence=evidence, action=action, kept=kept, reason=reason))


# A due phrase that sets a deadline ("by fri"), not one that only mentions a date ("apr 9").
_DEADLINE_WORD = re.compile(r"^(?:by|before|due|until|till|no\s+later\s+than)\b", re.IGNORECASE)
_PRONOUN_ACTION = re.compile(r"^(?:(?:do|get|have|finish|complete|send|ship|submit|file|wrap\s+up|sort)\s+"
                             r"(?:it|that|this|them|something)(?:\s+(?:to|over\s+to)\s+(?:me|you|him|her|them))?|"
                             # "we'll split that between us": sharing out the work of the promise before
                             r"(?:split|divide|share)\s+(?:it|that|this|the\s+work)\s+between\s+(?:us|you\s+and\s+me)|"
                             r"ask\s+(?:her|him|them)(?:\s+first)?)\b"
                             r"(?:\s+(?:done|launched|out|over|sorted|finished|sent))?"
                             r"(?:\s+(?:before|by)\s+then|\s+then|\s+too|\s+as\s+well)?"
                             r"(?:\s+(?:once|when|after|as\s+soon\s+as)\s+[^,;]+)?\s*$", re.IGNORECASE)


def _agreed_line(c: Commitment, participants: list[Participant]) -> str:
    """One commitment as the manager writes it to the employee: "You agreed to ...", "I'll ...", others by name."""
    action = c.action.strip().rstrip(".")
    action = action[:1].lower() + action[1:] if action[1:2] != action[1:2].upper() or len(action) < 2 else action
    role = next((p.role for p in participants if p.name == c.owner), None)
    employees = [p for p in participants if p.role == "employee"]
    if len(employees) == 1:  # "I'll introduce Luis to Mei" is "I'll introduce you to Mei" in a letter to Luis
        names = "|".join(re.escape(n) for n in (employees[0].name, employees[0].name.split()[0]))
        action = re.sub(rf"\b(?:{names})['’]s\b", "your", action)
        action = re.sub(rf"\b(?:{names})\b", "you", action)
    if c.owner is None:
        line = f"Owner to be agreed: {action}"
    elif role == "employee" and len(employees) == 1:
        line = f"You agreed to {action}"
    elif role == "manager":
        line = f"I'll {action}"
    else:
        line = f"{c.owner} will {action}"
    if c.due:
        line += f", by {c.due.strftime('%A %d %B %Y')}"
    if c.success_indicator:
        line += f" (success: {c.success_indicator})"
    return line


def render_summary(summary: FollowUpSummary, *, participants: list[Participant],
                   meeting_date: date) -> FollowUpSummary:
    """The summary with its Markdown and e-mail drafts (re)rendered from its fields."""
    recap = summary.recap
    if isinstance(recap, str):  # an LLM draft may carry its recap as one paragraph
        recap = [s for s in re.split(r"(?<=[.!?])\s+", recap.strip()) if s]
    context = {"summary": summary, "recap": recap, "participants": participants, "meeting_date": meeting_date,
               "agreed": [_agreed_line(c, participants) for c in summary.commitments],
               "managers": [p for p in participants if p.role == "manager"],
               "employees": [p for p in participants if p.role == "employee"]}
    return summary.model_copy(update={"recap": recap, "markdown": render_document("summary.md", **context),
                                      "email": render_document("summary_email.txt", **context)})


__all__ = ["Commitment", "FollowUpSummary", "Participant", "ResourceCommitted", "Author", "draft_summary", "render_summary"]
