"""What several suites share: an indexed engine over a knowledge directory."""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path

from coach.engine import Engine
from coach.settings import PROJECT_ROOT, Settings, get_settings

os.environ.setdefault("HF_HUB_OFFLINE", "1")
EVAL_DATA = PROJECT_ROOT / ".coach" / "evals"


@lru_cache(maxsize=4)
def eval_engine(knowledge_dir: Path | None = None) -> Engine:
    """An engine with its own Chroma directory per knowledge directory, indexed incrementally."""
    knowledge_dir = Path(knowledge_dir or get_settings().knowledge_dir).resolve()
    tag = hashlib.sha1(str(knowledge_dir).encode()).hexdigest()[:10]
    settings = Settings(knowledge_dir=knowledge_dir, data_dir=EVAL_DATA / tag, _env_file=None)
    engine = Engine(settings)
    engine.reindex()
    return engine


def reciprocal_rank(ranked: list[str], expected: set[str]) -> float:
    """1/rank of the first expected id (0 when none is found)."""
    for rank, item in enumerate(ranked, start=1):
        if item in expected:
            return 1.0 / rank
    return 0.0


def llm_engine(provider: str | None) -> Engine | None:
    """With --provider openai: the eval engine, drafting through the endpoint that COACH_LLM_* configure."""
    if provider in (None, "none"):
        return None
    if provider != "openai":
        raise ValueError(f"provider: must be 'openai' or 'none', got '{provider}'")
    base = eval_engine()
    settings = base.settings.model_copy(update={"llm_provider": "openai"})
    if not (settings.llm_model or settings.llm_base_url):
        raise ValueError("provider openai needs COACH_LLM_MODEL (and COACH_LLM_BASE_URL for a local server)")
    return Engine(settings, knowledge=base.knowledge, embeddings=base.embeddings)
