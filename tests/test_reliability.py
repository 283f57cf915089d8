"""Reliability of the deployed API: concurrency, LLM/Chroma/database faults, fuzzing and documented limits.

Everything runs on 127.0.0.1 under real uvicorn (tests/servers.serve); nothing reaches the network.
"""

from __future__ import annotations

import json
import shutil
import socket
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from api.main import create_app
from coach.engine import Engine
from coach.llm.provider import allow_model_requests
from coach.settings import Settings
from coach.store.store import Store
from tests.conftest import KNOWLEDGE_DIR, PEOPLE_FILE, free_port
from tests.fault_servers import fake_llm
from tests.servers import RunningApi, serve
from tests.test_api import NOTES, PARTICIPANTS, summary_body

EMPLOYEE = "lena-fischer"  # daniel-kim's report
PROBLEM_JSON = "application/problem+json"


# --- fixtures ----------------------------------------------------------------------------------------------


def _fresh_store(path: Path, **options: Any) -> Store:
    built = Store(f"sqlite:///{path}", **options)
    built.migrate()
    built.seed_people(PEOPLE_FILE)
    return built


def _tokens(store: Store) -> dict[str, str]:
    return {"admin": store.create_token("admin", None, "reliability"),
            "manager": store.create_token("manager", "daniel-kim", "reliability")}


@pytest.fixture(scope="module")
def rel_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """This module's own SQLite store, so counts before and after are not disturbed by other test files."""
    built = _fresh_store(tmp_path_factory.mktemp("reliability-db") / "coach.db")
    yield built
    built.close()


@pytest.fixture(scope="module")
def rel_tokens(rel_store: Store) -> dict[str, str]:
    return _tokens(rel_store)


@pytest.fixture(scope="module")
def live(engine: Engine, settings: Settings, rel_store: Store, rel_tokens: dict[str, str]) -> Iterator[RunningApi]:
    with serve(create_app(settings, engine=engine, store=rel_store)) as base_url:
        yield RunningApi(base_url, rel_tokens)


def _variant_engine(engine: Engine, settings: Settings, **overrides: Any) -> tuple[Settings, Engine]:
    """Settings over the session's index directory (no re-embedding) and an engine reusing its model and knowledge."""
    variant = Settings(knowledge_dir=KNOWLEDGE_DIR, data_dir=settings.data_dir, _env_file=None, **overrides)
    return variant, Engine(variant, knowledge=engine.knowledge, embeddings=engine.embeddings)


@contextmanager
def _serve_variant(engine: Engine, settings: Settings, store: Store, tokens: dict[str, str],
                   **overrides: Any) -> Iterator[RunningApi]:
    variant, variant_engine = _variant_engine(engine, settings, **overrides)
    with serve(create_app(variant, engine=variant_engine, store=store)) as base_url:
        yield RunningApi(base_url, tokens)


def _is_problem(response: httpx.Response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM_JSON), response.headers
    body = response.json()
    assert body["status"] == status and body["title"] and body["detail"]
    return body


def _commitment_count(store: Store, employee: str = EMPLOYEE) -> int:
    return len(store.list_commitments(employee, review=None))


# --- 1. concurrency ------------------------------------------------------------------------------------------


CLIENTS = 50
SHARED_KEY_CLIENTS = 10


@pytest.mark.slow  # 50 clients on 2 cores: 7 s; make test runs it, the quick loop does not
def test_fifty_concurrent_clients_lose_and_duplicate_nothing(live: RunningApi, rel_store: Store) -> None:
    with live.client("manager") as c:
        seed = c.post("/v1/summaries", json=summary_body(), headers={"Idempotency-Key": "concurrency-seed"})
        assert seed.status_code == 200, seed.text
    per_summary = len(seed.json()["commitment_ids"])
    assert per_summary >= 1
    target = seed.json()["commitment_ids"][0]
    notes_before = len(rel_store.list_notes(EMPLOYEE))
    commitments_before = _commitment_count(rel_store)
    maps_before = len(rel_store.list_maps(EMPLOYEE))
    history_before = len(rel_store.commitment_history(target))

    def reads(c: httpx.Client) -> list[httpx.Response]:
        return [c.get("/v1/roles"), c.get("/v1/search", params={"q": "mentoring juniors", "top": 3}),
                c.get("/v1/roles/senior-data-analyst/paths", params={"interests": "customers"}),
                c.get(f"/v1/employees/{EMPLOYEE}/commitments")]

    def work(i: int) -> tuple[str, list[httpx.Response]]:
        barrier.wait(timeout=30)
        with live.client("manager", timeout=90) as c:
            kind = i % 5
            if kind == 0:  # a distinct write per client
                return "summary", [c.post("/v1/summaries", json=summary_body(),
                                          headers={"Idempotency-Key": f"concurrency-{i}"}), *reads(c)[:2]]
            if kind == 1:  # everyone retries the same request at once
                return "shared", [c.post("/v1/summaries", json=summary_body(),
                                         headers={"Idempotency-Key": "concurrency-shared"})]
            if kind == 2:
                status = ("done", "open")[i % 2]
                return "patch", [c.patch(f"/v1/commitments/{target}", json={"status": status, "comment": f"c{i}"}),
                                 *reads(c)[2:]]
            if kind == 3:
                return "map", [c.post("/v1/development-maps", json={
                    "employee_id": EMPLOYEE, "current_role": "data-analyst", "target_role": "senior-data-analyst",
                    "horizon_months": 6, "start": "2026-01-05"})]
            return "read", reads(c)

    barrier = threading.Barrier(CLIENTS)
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        results = list(pool.map(work, range(CLIENTS)))
    elapsed = time.perf_counter() - started

    statuses = Counter(r.status_code for _, responses in results for r in responses)
    failures = [(kind, r.request.method, r.request.url.path, r.text) for kind, rs in results for r in rs
                if r.status_code != 200]
    assert statuses == Counter({200: sum(len(rs) for _, rs in results)}), (statuses, failures[:5])
    kinds = Counter(kind for kind, _ in results)
    assert kinds["shared"] == SHARED_KEY_CLIENTS

    shared = [rs[0].json() for kind, rs in results if kind == "shared"]
    assert len({s["note_id"] for s in shared}) == 1, "one Idempotency-Key, one note"
    assert sum(not s["replayed"] for s in shared) <= 1
    distinct = {rs[0].json()["note_id"] for kind, rs in results if kind == "summary"}
    assert len(distinct) == kinds["summary"]

    new_notes = kinds["summary"] + 1
    assert len(rel_store.list_notes(EMPLOYEE)) == notes_before + new_notes
    assert all(n.status == "summarized" for n in rel_store.list_notes(EMPLOYEE))
    assert _commitment_count(rel_store) == commitments_before + new_notes * per_summary
    assert len(rel_store.list_maps(EMPLOYEE)) == maps_before + kinds["map"]
    assert {rs[0].json()["id"] for kind, rs in results if kind == "map"} == \
        {m.id for m in rel_store.list_maps(EMPLOYEE)[:kinds["map"]]}
    history = rel_store.commitment_history(target)
    assert len(history) == history_before + kinds["patch"], "every status change kept, none lost"
    assert all(e.from_status == prev.to_status for prev, e in zip(history, history[1:])), "changes serialised"
    print(f"\n{CLIENTS} clients, {sum(statuses.values())} requests in {elapsed:.1f}s")


# --- 2. faults: the LLM --------------------------------------------------------------------------------------


LLM_TIMEOUT_S = 0.5  # a fake server on loopback answers in milliseconds: half a second is plenty
LLM_RETRIES = 0
# Each pipeline makes at most two LLM calls (a draft and one repair), each bounded by the timeout.
LLM_BUDGET_S = LLM_TIMEOUT_S * (LLM_RETRIES + 1) * 2 + 10
WHY = {"down": "cannot be reached", "slow": "timed out", "not_json": "not a chat completion",
       "no_choices": "not a chat completion", "nonsense": "LLM output invalid", "cut_off": "LLM output invalid"}


@contextmanager
def _llm_endpoint(fault: str) -> Iterator[str]:
    if fault == "down":
        # A port held bound but never listening refuses connections, and no other server can take it meanwhile
        # (a port that was only free a moment ago once answered 404 from a server started after it was picked).
        with socket.socket() as held:
            held.bind(("127.0.0.1", 0))
            yield f"http://127.0.0.1:{held.getsockname()[1]}/v1"
        return
    with fake_llm(fault, delay_s=LLM_TIMEOUT_S * 4) as (base_url, _calls):  # type: ignore[arg-type]
        yield base_url


@pytest.mark.slow  # fault injection: a server of its own per fault, waiting out timeouts (6 s); make test runs it
@pytest.mark.parametrize("fault", list(WHY))
def test_llm_faults_fall_back_to_the_rules_engine(fault: str, engine: Engine, settings: Settings, rel_store: Store,
                                                  rel_tokens: dict[str, str]) -> None:
    requests: list[tuple[str, dict, dict]] = [
        ("/v1/questions", {"role": "data-analyst", "aspiration": "grow toward product management", "count": 5}, {}),
        ("/v1/summaries", summary_body(), {"Idempotency-Key": f"llm-{fault}"}),
        ("/v1/development-maps", {"employee_id": EMPLOYEE, "current_role": "data-analyst",
                                  "target_role": "senior-data-analyst", "horizon_months": 6}, {}),
    ]
    with _llm_endpoint(fault) as base_url, allow_model_requests(), \
            _serve_variant(engine, settings, rel_store, rel_tokens, llm_provider="openai", llm_base_url=base_url,
                           llm_model="x", llm_timeout_s=LLM_TIMEOUT_S, llm_max_retries=LLM_RETRIES) as api, \
            api.client("manager") as c:
        for path, body, headers in requests:
            started = time.perf_counter()
            r = c.post(path, json=body, headers=headers)
            elapsed = time.perf_counter() - started
            assert r.status_code == 200, (fault, path, r.text)
            data = r.json()
            assert data["source"] == "rules", (fault, path)
            assert elapsed < LLM_BUDGET_S, (fault, path, elapsed)
            if path == "/v1/summaries":
                # The rules summary answers at once; the model's refinement is a job that fails with the reason.
                job = _finished_job(c, data["refinement"]["id"])
                assert job["status"] == "failed" and WHY[fault] in job["reason"], (fault, job)
                continue
            assert WHY[fault] in (data["llm_rejected"] or ""), (fault, path, data["llm_rejected"])


def _finished_job(client, job_id: str) -> dict:  # noqa: ANN001 - an httpx.Client
    deadline = time.monotonic() + LLM_BUDGET_S
    while True:
        job = client.get(f"/v1/summaries/jobs/{job_id}").json()
        if job["status"] in ("done", "failed") or time.monotonic() > deadline:
            return job
        time.sleep(0.05)


# --- 2. faults: Chroma ------------------------------------------------------------------------------------------


@pytest.mark.slow  # fault injection with a server of its own; make test runs it
def test_chroma_down_is_503_and_the_notes_are_kept(engine: Engine, settings: Settings, rel_store: Store,
                                                   rel_tokens: dict[str, str]) -> None:
    with _serve_variant(engine, settings, rel_store, rel_tokens, chroma_host="127.0.0.1",
                        chroma_port=free_port()) as api, api.client("manager") as c:
        assert c.get("/health").status_code == 200  # the process started without its index
        ready = c.get("/v1/ready")
        assert ready.status_code == 503
        checks = ready.json()["checks"]
        assert "Chroma" in checks["chroma"] and checks["database"] == "ok"
        assert c.get("/v1/roles").status_code == 200  # the knowledge itself is in memory

        before = {n.id for n in rel_store.list_notes(EMPLOYEE)}
        r = c.post("/v1/summaries", json=summary_body(), headers={"Idempotency-Key": "chroma-down"})
        problem = _is_problem(r, 503)
        assert "Chroma" in problem["detail"]
        new = [n for n in rel_store.list_notes(EMPLOYEE) if n.id not in before]
        assert len(new) == 1 and new[0].status == "failed" and new[0].text == NOTES
        assert "Chroma" in (new[0].error or "") and problem["details"]["note_id"] == new[0].id

        problem = _is_problem(c.get("/v1/search", params={"q": "mentoring"}), 503)
        assert "Chroma" in problem["detail"]

    # The same key on a healthy server summarises the kept note: no second note.
    with serve(create_app(settings, engine=engine, store=rel_store)) as base_url, \
            RunningApi(base_url, rel_tokens).client("manager") as c:
        r = c.post("/v1/summaries", json=summary_body(), headers={"Idempotency-Key": "chroma-down"})
        assert r.status_code == 200 and r.json()["note_id"] == new[0].id
    assert rel_store.get_note(new[0].id).status == "summarized"


# --- 2. faults: the database --------------------------------------------------------------------------------------


@pytest.mark.slow  # fault injection with a server of its own; make test runs it
def test_locked_database_is_503_nothing_half_written_then_recovers(tmp_path: Path, engine: Engine,
                                                                   settings: Settings) -> None:
    db = tmp_path / "locked" / "coach.db"
    store = _fresh_store(db, busy_timeout_s=0.2)
    tokens = _tokens(store)
    map_body = {"employee_id": EMPLOYEE, "current_role": "data-analyst", "target_role": "senior-data-analyst",
                "horizon_months": 6}
    with serve(create_app(settings, engine=engine, store=store)) as base_url, \
            RunningApi(base_url, tokens).client("manager") as c:
        seeded = c.post("/v1/summaries", json=summary_body(), headers={"Idempotency-Key": "lock-seed"}).json()
        commitment = seeded["commitment_ids"][0]
        notes, commitments = len(store.list_notes(EMPLOYEE)), _commitment_count(store)
        history = len(store.commitment_history(commitment))

        holder = sqlite3.connect(db, isolation_level=None)
        holder.execute("BEGIN EXCLUSIVE")
        try:
            for r in (c.post("/v1/summaries", json=summary_body(), headers={"Idempotency-Key": "lock-1"}),
                      c.patch(f"/v1/commitments/{commitment}", json={"status": "done"}),
                      c.post("/v1/development-maps", json=map_body)):
                problem = _is_problem(r, 503)
                assert "database" in problem["detail"] and "unavailable" in problem["detail"]
                assert "locked" in problem["detail"]
            assert c.get(f"/v1/employees/{EMPLOYEE}/commitments").status_code == 200  # readers are not blocked
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        assert len(store.list_notes(EMPLOYEE)) == notes and _commitment_count(store) == commitments
        assert len(store.commitment_history(commitment)) == history and store.list_maps(EMPLOYEE) == []

        # Recovered: the same requests succeed, once.
        r = c.post("/v1/summaries", json=summary_body(), headers={"Idempotency-Key": "lock-1"})
        assert r.status_code == 200 and not r.json()["replayed"]
        assert c.patch(f"/v1/commitments/{commitment}", json={"status": "done"}).json()["status"] == "done"
        assert c.post("/v1/development-maps", json=map_body).status_code == 200
        assert len(store.list_notes(EMPLOYEE)) == notes + 1 and len(store.list_maps(EMPLOYEE)) == 1
    store.close()


@pytest.mark.slow  # fault injection with a server of its own; make test runs it
def test_deleted_database_is_503_and_no_write_is_lost(tmp_path: Path, engine: Engine, settings: Settings) -> None:
    db = tmp_path / "gone" / "coach.db"
    store = _fresh_store(db, busy_timeout_s=0.2)
    tokens = _tokens(store)
    with serve(create_app(settings, engine=engine, store=store)) as base_url:
        api = RunningApi(base_url, tokens)
        with api.client("manager") as c:
            assert c.post("/v1/summaries", json=summary_body(), headers={"Idempotency-Key": "g0"}).status_code == 200
            shutil.rmtree(db.parent)
            # Pooled connections would happily write into the deleted file; every request must refuse instead.
            for r in (c.post("/v1/summaries", json=summary_body(), headers={"Idempotency-Key": "g1"}),
                      c.get(f"/v1/employees/{EMPLOYEE}/commitments")):
                problem = _is_problem(r, 503)
                assert "database" in problem["detail"] and "unavailable" in problem["detail"]
                assert "gone" in problem["detail"]
            ready = c.get("/v1/ready")
            assert ready.status_code == 503 and "gone" in ready.json()["checks"]["database"]

        # The operator sets the database up again: the running service uses the new file, not the deleted one.
        store.migrate()
        store.seed_people(PEOPLE_FILE)
        api.tokens = _tokens(store)
        with api.client("manager") as c:
            assert c.get("/v1/ready").status_code == 200
            r = c.post("/v1/summaries", json=summary_body(), headers={"Idempotency-Key": "g1"})
            assert r.status_code == 200, r.text
    reopened = Store(f"sqlite:///{db}")
    assert [n.id for n in reopened.list_notes(EMPLOYEE)] == [r.json()["note_id"]]
    reopened.close()
    store.close()


# --- 3. fuzzing (the generated cases are in test_fuzz.py; the findings they led to stay here) -----------------


@pytest.mark.parametrize(("path", "body", "field"), [
    ("/v1/questions", {"role": "data-analyst", "ratings": {"systems-design": 7}}, "ratings.systems-design"),
    ("/v1/questions", {"role": "data-analyst", "ratings": {"x": {"self": "high"}}}, "ratings.x.self"),
    ("/v1/development-maps", {"current_role": "data-analyst", "target_role": "senior-data-analyst",
                              "ratings": {"x": 0}}, "ratings.x"),
    ("/v1/development-maps", {"current_role": "data-analyst", "target_role": "senior-data-analyst",
                              "start": "9999-12-01", "horizon_months": 60}, "start"),
    ("/v1/summaries", summary_body(meeting_date="0001-01-01"), "meeting_date"),
])
def test_fuzz_findings_are_422_not_500(live: RunningApi, path: str, body: dict, field: str) -> None:
    """Found by fuzzing: out-of-range ratings and far-off dates used to escape as 500s."""
    with live.client("manager") as c:
        problem = _is_problem(c.post(path, json=body), 422)
    assert problem["field"] == field, problem


def test_unpaired_surrogates_are_400_not_500(live: RunningApi, rel_store: Store) -> None:
    """JSON may carry "\\ud800"; no database or encoder takes that text, so it is refused up front (400)."""
    notes_before = len(rel_store.list_notes(EMPLOYEE))
    raw = json.dumps(summary_body(notes="Lena will ship it \ud800 by Friday."))
    with live.client("manager") as c:
        problem = _is_problem(c.post("/v1/summaries", content=raw, headers={"content-type": "application/json"}), 400)
        assert problem["field"] == "notes" and "surrogate" in problem["detail"]
        paired = json.dumps(summary_body(notes=NOTES + "Great mood \U0001f600."))  # an escaped pair is fine
        r = c.post("/v1/summaries", content=paired, headers={"content-type": "application/json"})
        assert r.status_code == 200, r.text
    assert len(rel_store.list_notes(EMPLOYEE)) == notes_before + 1


# --- 4. limits ------------------------------------------------------------------------------------------------------

QUESTION = {"role": "data-analyst"}
MAP = {"current_role": "data-analyst"}
SUMMARY = summary_body()
# (path, valid base body, field, bad value, expected field name, expected limit)
LIMIT_CASES: list[tuple[str, dict, str, Any, str, dict]] = [
    ("/v1/questions", QUESTION, "name", "n" * 101, "name", {"max_length": 100}),
    ("/v1/questions", QUESTION, "role", "r" * 201, "role", {"max_length": 200}),
    ("/v1/questions", QUESTION, "role", "", "role", {"min_length": 1}),
    ("/v1/questions", QUESTION, "aspiration", "a" * 2001, "aspiration", {"max_length": 2000}),
    ("/v1/questions", QUESTION, "target_role", "t" * 201, "target_role", {"max_length": 200}),
    ("/v1/questions", QUESTION, "context", "c" * 4001, "context", {"max_length": 4000}),
    ("/v1/questions", QUESTION, "employee_id", "e" * 101, "employee_id", {"max_length": 100}),
    ("/v1/questions", QUESTION, "open_commitments", [{"action": "a"}] * 51, "open_commitments", {"max_length": 50}),
    ("/v1/questions", QUESTION, "open_commitments", [{"action": "a" * 501}], "open_commitments.0.action",
     {"max_length": 500}),
    ("/v1/questions", QUESTION, "count", 2, "count", {"ge": 3}),
    ("/v1/questions", QUESTION, "count", 16, "count", {"le": 15}),
    ("/v1/questions", QUESTION, "horizon_months", 0, "horizon_months", {"ge": 1}),
    ("/v1/questions", QUESTION, "horizon_months", 61, "horizon_months", {"le": 60}),
    ("/v1/development-maps", MAP, "employee_id", "e" * 101, "employee_id", {"max_length": 100}),
    ("/v1/development-maps", MAP, "current_role", "r" * 201, "current_role", {"max_length": 200}),
    ("/v1/development-maps", MAP, "current_role", "", "current_role", {"min_length": 1}),
    ("/v1/development-maps", MAP, "aspiration", "a" * 2001, "aspiration", {"max_length": 2000}),
    ("/v1/development-maps", MAP, "target_role", "t" * 201, "target_role", {"max_length": 200}),
    ("/v1/development-maps", MAP, "ratings", {f"c{i}": 3 for i in range(101)}, "ratings", {"max_length": 100}),
    ("/v1/development-maps", MAP, "horizon_months", 0, "horizon_months", {"ge": 1}),
    ("/v1/development-maps", MAP, "horizon_months", 61, "horizon_months", {"le": 60}),
    ("/v1/summaries", SUMMARY, "employee_id", "e" * 101, "employee_id", {"max_length": 100}),
    ("/v1/summaries", SUMMARY, "employee_id", "", "employee_id", {"min_length": 1}),
    ("/v1/summaries", SUMMARY, "participants", PARTICIPANTS[:1], "participants", {"min_length": 2}),
    ("/v1/summaries", SUMMARY, "participants", PARTICIPANTS * 11, "participants", {"max_length": 20}),
    ("/v1/summaries", SUMMARY, "participants", [{"name": "n" * 121, "role": "manager"}, PARTICIPANTS[1]],
     "participants.0.name", {"max_length": 120}),
]


@pytest.mark.parametrize(("path", "base", "field", "value", "name", "limit"), LIMIT_CASES,
                         ids=[f"{c[0].split('/')[-1]}-{c[4]}-{next(iter(c[5]))}" for c in LIMIT_CASES])
def test_limits_name_the_field_and_the_limit(live: RunningApi, path: str, base: dict, field: str, value: Any,
                                             name: str, limit: dict) -> None:
    with live.client("manager") as c:
        r = c.post(path, json={**base, field: value})
    problem = _is_problem(r, 422)
    assert problem["field"] == name, problem
    assert problem["errors"][0]["field"] == name and limit.items() <= problem["errors"][0]["limit"].items(), problem


def test_query_and_header_limits(live: RunningApi) -> None:
    cases: list[tuple[Callable[[httpx.Client], httpx.Response], str, dict]] = [
        (lambda c: c.get("/v1/search", params={"q": "q" * 1001}), "q", {"max_length": 1000}),
        (lambda c: c.get("/v1/search", params={"q": "x", "top": 101}), "top", {"le": 100}),
        (lambda c: c.get("/v1/search", params={"q": "x", "level": 7}), "level", {"le": 6}),
        (lambda c: c.get("/v1/roles/data-analyst/paths", params={"limit": 21}), "limit", {"le": 20}),
        (lambda c: c.get("/v1/roles/data-analyst/paths", params={"interests": "i" * 2001}), "interests",
         {"max_length": 2000}),
        (lambda c: c.patch("/v1/commitments/x", json={"status": "done", "comment": "c" * 1001}), "comment",
         {"max_length": 1000}),
        (lambda c: c.post("/v1/summaries", json=SUMMARY, headers={"Idempotency-Key": "k" * 201}), "idempotency-key",
         {"max_length": 200}),
    ]
    with live.client("manager") as c:
        for call, name, limit in cases:
            problem = _is_problem(call(c), 422)
            assert problem["field"] == name and limit.items() <= problem["errors"][0]["limit"].items(), problem


def test_notes_and_body_size_limits_are_413_before_work(live: RunningApi, rel_store: Store, settings: Settings) -> None:
    notes_before = len(rel_store.list_notes(EMPLOYEE))
    with live.client("manager") as c:
        problem = _is_problem(c.post("/v1/summaries", json={**SUMMARY, "notes": "n" * (settings.max_notes_chars + 1)}),
                              413)
        assert problem["field"] == "notes" and str(settings.max_notes_chars) in problem["detail"].replace(",", "")
        big = {**SUMMARY, "notes": "n" * settings.max_body_bytes}
        started = time.perf_counter()
        problem = _is_problem(c.post("/v1/summaries", json=big), 413)
        assert problem["field"] == "body" and str(settings.max_body_bytes) in problem["detail"]
        assert time.perf_counter() - started < 5
        # Chunked upload without a Content-Length: refused while streaming.
        chunks = (b'{"notes": "' + b"n" * 65_536 for _ in range(settings.max_body_bytes // 65_536 + 2))
        r = c.post("/v1/summaries", content=chunks, headers={"content-type": "application/json"})
        assert _is_problem(r, 413)["field"] == "body"
    assert len(rel_store.list_notes(EMPLOYEE)) == notes_before, "nothing stored for a refused body"


def test_limits_document_matches_the_models() -> None:
    doc = (Path(__file__).resolve().parent.parent / "docs" / "api-limits.md").read_text(encoding="utf-8")
    for path, _, field, _, name, limit in LIMIT_CASES:
        assert f"`{name}`" in doc or f"`{field}`" in doc, name
        assert str(next(iter(limit.values()))) in doc
    for setting in ("COACH_MAX_BODY_BYTES", "COACH_MAX_NOTES_CHARS", "256000", "20000"):
        assert setting in doc.replace(",", ""), setting
