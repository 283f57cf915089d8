"""A development map's narrative drafted by an LLM, checked against the map it describes."""

from __future__ import annotations

import re
from collections.abc import Callable

from pydantic import BaseModel, Field

from coach.engine import Engine
from coach.errors import LLMOutputInvalid, LLMUnavailable
from coach.growth.development import DevelopmentMap
from coach.llm.drafting import draft_with_validation, load_examples, messages, norm, rejection_reason
from coach.llm.provider import LLMProvider

NARRATIVE_WORDS = (30, 200)


class DraftNarrative(BaseModel):
    """A one-paragraph narrative of a development map."""

    narrative: str = Field(description="One paragraph, 30 to 200 words.")


def validate_narrative(engine: Engine, dev_map: DevelopmentMap) -> Callable[[DraftNarrative], list[str]]:
    """The checks a narrative must pass: names the target role, no role outside the map, 30-200 words."""
    allowed = {dev_map.target_role.title.lower(), dev_map.current_role.title.lower(),
               *(c.title.lower() for c in dev_map.candidates)}
    others = {r.title.lower() for r in engine.knowledge.roles.values()} - allowed

    def spans(text: str, title: str) -> list[tuple[int, int]]:
        return [m.span() for m in re.finditer(rf"(?<!\w){re.escape(title)}(?!\w)", text)]

    def validate(draft: DraftNarrative) -> list[str]:
        text = norm(draft.narrative)
        lowered = text.lower()
        errors = []
        words = len(text.split())
        if not NARRATIVE_WORDS[0] <= words <= NARRATIVE_WORDS[1]:
            errors.append(f"the narrative has {words} words; write {NARRATIVE_WORDS[0]} to {NARRATIVE_WORDS[1]}")
        if dev_map.target_role.title.lower() not in lowered:
            errors.append(f"the narrative must name the target role, {dev_map.target_role.title}")
        covered = [s for title in allowed for s in spans(lowered, title)]
        # "Data Analyst" inside "Senior Data Analyst" is the allowed role, not another one.
        stray = sorted({title for title in others for (a, b) in spans(lowered, title)
                        if not any(x <= a and b <= y for x, y in covered)})
        if stray:
            errors.append(f"the narrative names role(s) that are not in the map: {', '.join(stray)}")
        return errors

    return validate


def llm_map_narrative(engine: Engine, provider: LLMProvider, dev_map: DevelopmentMap) -> tuple[str | None, str | None]:
    """(narrative, None) when the LLM's paragraph passes validation, else (None, the reason it was rejected)."""
    prompt = messages("map_narrative", map=dev_map, examples=load_examples("map_narrative"))
    try:
        draft = draft_with_validation(provider, prompt, DraftNarrative, validate_narrative(engine, dev_map))
    except (LLMUnavailable, LLMOutputInvalid) as exc:
        return None, rejection_reason(exc)
    return norm(draft.narrative), None
