"""The API end to end through a real OpenAI-compatible server (llama.cpp with SmolLM2-135M).

The tiny model mostly fails validation, so these requests exercise the real fallback path: every
answer must be valid whichever engine produced it, and a rejection must say why.
"""

from __future__ import annotations

from api.main import create_app
from coach.engine import Engine
from coach.llm.provider import allow_model_requests
from coach.settings import Settings
from tests.servers import serve
from tests.test_api import NOTES, PARTICIPANTS

import httpx


def _sensible(reason: str | None) -> bool:
    return bool(reason) and ("LLM output invalid" in reason or "LLM unavailable" in reason)


def test_pipelines_through_llama_cpp(engine: Engine, settings: Settings, store, llama_server: Settings) -> None:  # noqa: ANN001
    llm_settings = settings.model_copy(update={
        "llm_provider": "openai", "llm_base_url": llama_server.llm_base_url, "llm_model": llama_server.llm_model,
        "llm_timeout_s": 60, "llm_max_retries": 0, "llm_temperature": 0.0, "llm_max_tokens": 96})
    llm_engine = Engine(llm_settings, knowledge=engine.knowledge, embeddings=engine.embeddings)
    token = store.create_token("admin", None, "llm e2e")
    with allow_model_requests(), serve(create_app(llm_settings, engine=llm_engine, store=store)) as base:
        with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=300) as c:
            q = c.post("/v1/questions", json={"role": "data-analyst", "aspiration": "product management", "count": 5})
            assert q.status_code == 200, q.text
            questions = q.json()
            assert len(questions["questions"]) == 5
            assert questions["source"] == "llm" or _sensible(questions["llm_rejected"]), questions["llm_rejected"]

            m = c.post("/v1/development-maps", json={"current_role": "software-engineer-ii",
                                                      "target_role": "engineering-manager", "horizon_months": 12,
                                                      "start": "2026-01-05"})
            assert m.status_code == 200, m.text
            dev_map = m.json()
            assert dev_map["actions"] and (dev_map["narrative"] or _sensible(dev_map["llm_rejected"]))

            s = c.post("/v1/summaries", json={"employee_id": "lena-fischer", "notes": NOTES,
                                               "meeting_date": "2026-03-02", "participants": PARTICIPANTS})
            assert s.status_code == 200, s.text
            summary = s.json()
            assert summary["source"] == "llm" or _sensible(summary["llm_rejected"]), summary["llm_rejected"]
            assert all(x["owner"] in ("Daniel Kim", "Lena Fischer", None) for x in summary["commitments"])
            assert all(x["evidence"] in NOTES for x in summary["commitments"])
