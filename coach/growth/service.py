"""Development maps as the API and CLI ask for them: the rules map, plus a validated LLM narrative when one is set."""

from __future__ import annotations

from coach.engine import Engine
from coach.growth.development import DevelopmentMap, build_development_map
from coach.templating import render_document


def development_map(engine: Engine, current_role: str, **options: object) -> DevelopmentMap:
    """Rules map; with an LLM configured, a validated narrative paragraph is added."""
    dev_map = build_development_map(engine, current_role, **options)  # type: ignore[arg-type]
    if not engine.llm_enabled:
        return dev_map
    from coach.growth.drafting import llm_map_narrative  # langchain's message classes load only when an LLM is set

    narrative, rejected = llm_map_narrative(engine, engine.llm, dev_map)
    update = {"narrative": narrative, "llm_rejected": rejected, "source": "llm" if narrative else "rules"}
    dev_map = dev_map.model_copy(update=update)
    dev_map.markdown = render_document("development_map.md", map=dev_map)
    return dev_map
