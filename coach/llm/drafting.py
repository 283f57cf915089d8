"""The LLM drafts, code decides: the validation loop every feature's drafting shares."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import lru_cache
from typing import TypeVar

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage
from pydantic import BaseModel

from coach.errors import LLMOutputInvalid, LLMUnavailable
from coach.llm.provider import LLMProvider, RawOutputError
from coach.templating import PROMPTS_DIR, render

T = TypeVar("T", bound=BaseModel)

MAX_REPAIR_ERRORS = 10  # a repair prompt lists at most this many problems; small models drown in more


def draft_with_validation(provider: LLMProvider, messages: list[BaseMessage], schema: type[T],
                          validate: Callable[[T], list[str]]) -> T:
    """Ask for `schema`, validate it, send the problems back once; LLMOutputInvalid if the repair fails too.

    Providers with `repair` off (local models: the repair round fixed 0 of 10 drafts and doubled the time) get one try.
    """
    conversation = list(messages)
    raw_outputs: list[str] = []
    errors: list[str] = []
    attempts = (1, 2) if getattr(provider, "repair", True) else (1,)
    for attempt in attempts:
        try:
            draft = provider.generate(conversation, schema)
        except RawOutputError as exc:
            raw, errors = exc.raw, [str(exc)]
        else:
            errors = validate(draft)
            if not errors:
                return draft
            raw = draft.model_dump_json()
        raw_outputs.append(raw)
        if attempt < len(attempts):
            conversation += [AIMessage(content=raw or "(no answer)"),
                             HumanMessage(content=render("repair", errors=errors[:MAX_REPAIR_ERRORS],
                                                         more=max(0, len(errors) - MAX_REPAIR_ERRORS),
                                                         schema_name=schema.__name__))]
    raise LLMOutputInvalid(f"the LLM's {schema.__name__} failed validation "
                           f"{'twice' if len(raw_outputs) == 2 else 'once (no repair round)'}: {errors[0]}",
                           attempts=len(raw_outputs), raw_outputs=raw_outputs, errors=errors)


def rejection_reason(exc: LLMUnavailable | LLMOutputInvalid) -> str:
    """A one-line reason for `llm_rejected`: why the rules engine's answer was kept."""
    if isinstance(exc, LLMOutputInvalid):
        shown = "; ".join(exc.errors[:3]) + (f"; and {len(exc.errors) - 3} more" if len(exc.errors) > 3 else "")
        return f"LLM output invalid after {exc.attempts} attempt(s): {shown}"
    return f"LLM unavailable: {exc.message}"


@lru_cache(maxsize=8)
def load_examples(task: str) -> list[dict]:
    """The few-shot examples of a task, from coach/prompts/examples/<task>.json."""
    path = PROMPTS_DIR / "examples" / f"{task}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else []


def _as_json(value: object) -> str:
    # Not jinja's tojson: it sorts keys and escapes quotes as HTML, which reads badly to a model.
    return json.dumps(value, ensure_ascii=False)


def messages(task: str, **context: object) -> list[BaseMessage]:
    """The system prompt and the task prompt, rendered from coach/prompts/."""
    return [SystemMessage(content=render("system", task=task)),
            HumanMessage(content=render(task, as_json=_as_json, **context))]


def norm(text: str) -> str:
    """Whitespace collapsed to single spaces."""
    return " ".join(text.split())
