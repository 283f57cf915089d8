"""Commitments linked to competencies by meaning, the same way for the rules and the LLM summaries."""

from __future__ import annotations

from collections.abc import Callable

from coach.engine import Engine

COMPETENCY_LINK_MIN_SIMILARITY = 0.35


def competency_linker(engine: Engine) -> Callable[[str], list[str]]:
    """Links a commitment's action to competencies by meaning (best one or two above a floor)."""

    def link(text: str) -> list[str]:
        hits = engine.search(text, kind="competency", top=2)
        return [h.id for h in hits if (h.similarity or 0) >= COMPETENCY_LINK_MIN_SIMILARITY]

    return link
