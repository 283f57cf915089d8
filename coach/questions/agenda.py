"""A prepared agenda: the suggested question set as the manager edits it (swap, remove, add their own), as text.

Pure functions over the stored payload (a QuestionSet as JSON plus the request it came from), so the web app,
the API or a test can edit an agenda the same way; the store keeps the result.
"""

from __future__ import annotations

from typing import Any

from coach.errors import InvalidInput
from coach.questions.arc import QuestionSet
from coach.questions.checker import check_question

STAGES = ("reflect", "aspire", "explore", "gaps", "support", "commit")
MAX_QUESTIONS = 25
MAX_OWN_CHARS = 500


def new_agenda(question_set: QuestionSet, request: dict[str, Any]) -> dict[str, Any]:
    """The payload stored for a fresh question set: its questions, the alternatives per stage, the request."""
    payload = question_set.model_dump(mode="json")
    payload["request"] = request
    payload["conversation_type"] = request.get("conversation_type", "career-check-in")
    return payload


def _index(payload: dict[str, Any], index: int, key: str = "questions", field: str = "index") -> int:
    items = payload.get(key) or []
    if not 0 <= index < len(items):
        raise InvalidInput(f"{field}: must be between 0 and {len(items) - 1}", field=field)
    return index


def alternatives_for(payload: dict[str, Any], stage: str) -> list[tuple[int, dict[str, Any]]]:
    """The unused alternatives of one stage, with their positions in the payload."""
    return [(i, q) for i, q in enumerate(payload.get("alternatives") or []) if q.get("stage") == stage]


def swap(payload: dict[str, Any], index: int, alternative: int) -> dict[str, Any]:
    """Replace question `index` by alternative `alternative` of the same stage; the replaced one becomes an option."""
    _index(payload, index)
    _index(payload, alternative, "alternatives", "alternative")
    questions, options = list(payload["questions"]), list(payload["alternatives"])
    if options[alternative].get("stage") != questions[index].get("stage"):
        raise InvalidInput(f"alternative: must be of the same stage ({questions[index].get('stage')})",
                           field="alternative")
    questions[index], options[alternative] = options[alternative], questions[index]
    return {**payload, "questions": questions, "alternatives": options}


def remove(payload: dict[str, Any], index: int) -> dict[str, Any]:
    """Drop question `index`; a suggested question stays available as an alternative of its stage."""
    _index(payload, index)
    questions = list(payload["questions"])
    dropped = questions.pop(index)
    options = list(payload.get("alternatives") or [])
    if not dropped.get("own"):
        options.append(dropped)
    return {**payload, "questions": questions, "alternatives": options}


def add_own(payload: dict[str, Any], text: str, stage: str) -> dict[str, Any]:
    """Add the manager's own question after the last one of its stage, with the checker's verdict kept beside it."""
    text = " ".join(text.split())
    if not text:
        raise InvalidInput("text: write the question you want to add", field="text")
    if len(text) > MAX_OWN_CHARS:
        raise InvalidInput(f"text: at most {MAX_OWN_CHARS} characters", field="text")
    if stage not in STAGES:
        raise InvalidInput(f"stage: must be one of {', '.join(STAGES)}", field="stage")
    questions = list(payload.get("questions") or [])
    if len(questions) >= MAX_QUESTIONS:
        raise InvalidInput(f"questions: an agenda holds at most {MAX_QUESTIONS} questions", field="questions")
    check = check_question(text)
    own = {"text": text, "stage": stage, "purpose": "your own question", "rationale": "Added by you.",
           "sources": [], "followups": [], "personalised_with": [], "own": True,
           "check": None if check.ok else "; ".join(check.reasons)}
    order = {s: i for i, s in enumerate(STAGES)}
    position = len(questions)
    for i, q in enumerate(questions):
        if order.get(q.get("stage"), 99) > order[stage]:
            position = i
            break
    questions.insert(position, own)
    return {**payload, "questions": questions}


def agenda_text(payload: dict[str, Any], person_name: str) -> str:
    """The agenda as plain text, to copy into a calendar invite or an e-mail."""
    kind = str(payload.get("conversation_type", "career conversation")).replace("-", " ")
    lines = [f"{kind.capitalize()} with {person_name}", ""]
    for number, q in enumerate(payload.get("questions") or [], start=1):
        lines.append(f"{number}. {q['text']}")
        lines += [f"   - {f}" for f in q.get("followups") or []]
    return "\n".join(lines).rstrip() + "\n"
