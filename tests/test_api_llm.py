"""The API end to end through a real OpenAI-compatible server (llama.cpp with SmolLM2-135M).

The tiny model mostly fails validation, so these requests exercise the real fallback path: every
answer must be valid whichever engine produced it, and a rejection must say why.
"""

from __future__ import annotations

import threading
import time

import httpx

from api.main import create_app
from coach.engine import Engine
from coach.errors import LLMUnavailable
from coach.llm.provider import allow_model_requests
from coach.settings import Settings
from tests.llm_fakes import ScriptedLLM
from tests.servers import loopback_client, serve
from tests.test_api import NOTES, PARTICIPANTS


def _sensible(reason: str | None) -> bool:
    return bool(reason) and ("LLM output invalid" in reason or "LLM unavailable" in reason)


def test_pipelines_through_llama_cpp(engine: Engine, settings: Settings, store, llama_server: Settings) -> None:  # noqa: ANN001
    llm_settings = settings.model_copy(update={
        "llm_provider": "openai", "llm_base_url": llama_server.llm_base_url, "llm_model": llama_server.llm_model,
        "llm_timeout_s": 60, "llm_max_retries": 0, "llm_temperature": 0.0, "llm_max_tokens": 96})
    llm_engine = Engine(llm_settings, knowledge=engine.knowledge, embeddings=engine.embeddings)
    token = store.create_token("admin", None, "llm e2e")
    with allow_model_requests(), serve(create_app(llm_settings, engine=llm_engine, store=store)) as base:
        with loopback_client(base, headers={"Authorization": f"Bearer {token}"}, timeout=300) as c:
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
            # The rules summary at once; the real model's refinement arrives as a job, done or failed with a reason.
            assert summary["source"] == "rules" and summary["refinement"]["status"] in ("queued", "running", "done")
            job = _poll(c, summary["refinement"]["id"], timeout_s=300)
            assert job["status"] in ("done", "failed"), job
            if job["status"] == "failed":
                assert _sensible(job["reason"]), job["reason"]
            else:
                merged = job["summary"]
                assert merged["source"] == "rules+llm"
                assert all(x["owner"] in ("Daniel Kim", "Lena Fischer", None) for x in merged["commitments"])
                assert all(x["evidence"] in NOTES for x in merged["commitments"])


# --- the refinement job: the rules summary at once, the model's merge in the background ----------------------------

class GatedLLM(ScriptedLLM):
    """A scripted model that answers only once the test opens the gate: a slow local model, made deterministic."""

    repair = False

    def __init__(self, *answers: object) -> None:
        super().__init__(*answers)
        self.gate = threading.Event()

    def generate(self, messages, schema):  # noqa: ANN001, ANN201 - the LLMProvider signature
        assert self.gate.wait(30), "the test never opened the gate"
        return super().generate(messages, schema)


def _llm_api(engine: Engine, settings: Settings, store, provider: ScriptedLLM):  # noqa: ANN001, ANN202
    llm_settings = settings.model_copy(update={"llm_provider": "openai", "llm_base_url": "http://127.0.0.1:9/v1",
                                               "llm_model": "scripted"})
    llm_engine = Engine(llm_settings, knowledge=engine.knowledge, embeddings=engine.embeddings)
    llm_engine.__dict__["llm"] = provider  # the engine's cached provider, replaced by the scripted one
    llm_engine.__dict__["index"] = engine.index
    return serve(create_app(llm_settings, engine=llm_engine, store=store))


def _poll(client: httpx.Client, job_id: str, timeout_s: float = 30) -> dict:
    deadline = time.monotonic() + timeout_s
    while True:
        job = client.get(f"/v1/summaries/jobs/{job_id}")
        assert job.status_code == 200, job.text
        if job.json()["status"] in ("done", "failed") or time.monotonic() > deadline:
            return job.json()
        time.sleep(0.05)


GROUNDED = {"commitments": [
    {"lines": [3], "owner": "Lena", "action": "Write the design doc for the payments retry service",
     "due": "by next Friday"},
    {"lines": [4], "owner": "Daniel Kim", "action": "Introduce Lena to Tom from the platform team", "due": "this week"},
    {"lines": [9], "owner": "Lena Fischer", "action": "Line nine does not exist"},
    {"lines": [2], "owner": "Mallory", "action": "Grow toward staff engineer"}]}


def test_summary_answers_at_once_and_the_refinement_arrives_as_a_job(engine: Engine, settings: Settings,
                                                                     store) -> None:  # noqa: ANN001
    provider = GatedLLM(GROUNDED)
    admin = store.create_token("admin", None, "jobs")
    outsider = store.create_token("employee", "mei-chen", "jobs: another employee")
    with _llm_api(engine, settings, store, provider) as base:
        with loopback_client(base, headers={"Authorization": f"Bearer {admin}"}, timeout=30) as c:
            s = c.post("/v1/summaries", json={"employee_id": "lena-fischer", "notes": NOTES,
                                               "meeting_date": "2026-03-02", "participants": PARTICIPANTS})
            assert s.status_code == 200, s.text
            summary = s.json()
            # The model has not answered yet (the gate is closed), so this is the rules summary, stored.
            assert summary["source"] == "rules" and summary["note_id"] and summary["commitment_ids"]
            job_id = summary["refinement"]["id"]
            assert summary["refinement"]["status"] in ("queued", "running")
            assert c.get(f"/v1/summaries/jobs/{job_id}").json()["status"] in ("queued", "running")
            with loopback_client(base, headers={"Authorization": f"Bearer {outsider}"}, timeout=30) as other:
                denied = other.get(f"/v1/summaries/jobs/{job_id}")
                assert denied.status_code == 403 and denied.json()["field"] == "employee_id"
            missing = c.get("/v1/summaries/jobs/no-such-job")
            assert missing.status_code == 404 and missing.json()["field"] == "job_id"
            provider.gate.set()
            job = _poll(c, job_id)
    assert job["status"] == "done", job
    merged = job["summary"]
    assert merged["source"] == "rules+llm"
    by_action = {c["action"]: c for c in merged["commitments"]}
    design = next(c for c in merged["commitments"] if "design doc" in c["action"])
    assert design["source"] == "both" and design["owner"] == "Lena Fischer" and design["due"] == "2026-03-13"
    assert all(c["owner"] in ("Daniel Kim", "Lena Fischer", None) for c in merged["commitments"])
    assert all(c["evidence"] in NOTES for c in merged["commitments"])
    assert "Line nine does not exist" not in by_action and "Grow toward staff engineer" not in by_action
    assert "lines [9] are not lines of the notes" in job["reason"] and "'Mallory' is not a participant" in job["reason"]


def test_a_model_that_is_down_or_answers_garbage_fails_the_job_with_a_reason(engine: Engine, settings: Settings,
                                                                            store) -> None:  # noqa: ANN001
    provider = GatedLLM(LLMUnavailable("LLM endpoint http://127.0.0.1:9/v1 timed out: Request timed out."),
                        "<html>502 Bad Gateway</html>")
    provider.gate.set()
    admin = store.create_token("admin", None, "jobs failing")
    with _llm_api(engine, settings, store, provider) as base:
        with loopback_client(base, headers={"Authorization": f"Bearer {admin}"}, timeout=30) as c:
            jobs = []
            for day in ("2026-03-03", "2026-03-04"):
                s = c.post("/v1/summaries", json={"employee_id": "lena-fischer", "notes": NOTES, "meeting_date": day,
                                                   "participants": PARTICIPANTS})
                assert s.status_code == 200 and s.json()["source"] == "rules" and s.json()["commitments"]
                jobs.append(_poll(c, s.json()["refinement"]["id"]))
    down, garbage = jobs
    assert down["status"] == "failed" and down["reason"].startswith("LLM unavailable: LLM endpoint") and \
        "timed out" in down["reason"] and down["summary"] is None
    assert garbage["status"] == "failed" and garbage["reason"].startswith("LLM output invalid after 1 attempt(s)")
