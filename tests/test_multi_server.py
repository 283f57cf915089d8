"""More than one API process against one PostgreSQL and one Chroma server: nothing lives only in one process."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest

from coach.errors import InvalidInput
from coach.settings import PROJECT_ROOT
from coach.store.store import Store
from tests.conftest import free_port
from tests.servers import chroma_run, loopback_client, stop

PEOPLE_FILE = PROJECT_ROOT / "examples" / "people.yaml"
# Every test here starts processes: a PostgreSQL cluster, `chroma run`, API servers or migrating processes.
pytestmark = pytest.mark.slow


def fresh_database(postgres_url: str) -> str:
    """A new, empty database in the test cluster, so a test sees a first start, not someone else's schema."""
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(postgres_url)
    name = f"coach_{uuid.uuid4().hex[:12]}"
    plain = url.set(drivername="postgresql").render_as_string(hide_password=False)
    try:
        with psycopg.connect(plain, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error as exc:
        pytest.skip(f"cannot create a database in {url.render_as_string()}: {exc}")
    return url.set(database=name).render_as_string(hide_password=False)


def drop_database(postgres_url: str, url: str) -> None:
    """Drop a database fresh_database made; best effort, so a shared server does not fill up."""
    import psycopg
    from sqlalchemy.engine import make_url

    plain = make_url(postgres_url).set(drivername="postgresql").render_as_string(hide_password=False)
    try:
        with psycopg.connect(plain, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')
    except psycopg.Error:
        pass


def child_env(**extra: str) -> dict[str, str]:
    """The environment of a child process: this checkout's code first, no model downloads, no telemetry."""
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT), "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1",
           "ANONYMIZED_TELEMETRY": "False"}
    env.update(extra)
    return env


def together(n: int, work: Callable[[int], Any]) -> list[Any]:
    """Run work(0..n-1) in n threads released at the same instant; each result, or the exception it raised."""
    barrier = threading.Barrier(n)
    results: list[Any] = [None] * n

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = work(i)
        except Exception as exc:  # noqa: BLE001 - the test inspects what each thread raised
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


@pytest.fixture()
def pg_db(postgres_url: str) -> Iterator[str]:
    url = fresh_database(postgres_url)
    yield url
    drop_database(postgres_url, url)


# --- what every process does at start: migrate and seed, all at once ---------------------------------------


START_SCRIPT = """
import sys, time
from coach.store.store import Store
url, people, at = sys.argv[1], sys.argv[2], float(sys.argv[3])
store = Store(url)
time.sleep(max(0.0, at - time.time()))  # every process begins at the same instant
store.migrate()
print(store.seed_people(people))
"""


def test_processes_starting_together_migrate_and_seed_once(pg_db: str) -> None:
    """N servers started at the same time each run migrate() and seed_people() on a new database: none may fail."""
    # Processes, not threads: that is what `coach serve --workers N` starts, and alembic is not thread-safe.
    at = time.time() + 8
    procs = [subprocess.Popen([sys.executable, "-c", START_SCRIPT, pg_db, str(PEOPLE_FILE), str(at)],
                              env=child_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(4)]
    outcomes = [proc.communicate(timeout=120) for proc in procs]
    failed = [err.strip().splitlines()[-1] for proc, (_, err) in zip(procs, outcomes) if proc.returncode != 0]
    assert failed == []
    store = Store(pg_db)
    assert len(store.list_people()) == int(outcomes[0][0])
    store.close()


# --- one note summarised by two processes at once ----------------------------------------------------------


def test_two_processes_summarising_one_note_store_its_commitments_once(pg_db: str) -> None:
    """Retries of one request that reach two servers at once: one summary and one set of commitments is stored."""
    setup = Store(pg_db)
    setup.migrate()
    setup.seed_people(PEOPLE_FILE)
    stores = [Store(pg_db), Store(pg_db)]
    commitment = {"owner": "Lena Fischer", "action": "Write the design doc", "due": "2026-03-13",
                  "success_indicator": "Doc reviewed", "competency_ids": [], "evidence": "Lena will write the doc"}
    try:
        for round_ in range(15):
            note, _ = setup.save_note("lena-fischer", "daniel-kim", date(2026, 3, 2), f"notes {round_}",
                                      idempotency_key=f"race-{round_}")
            results = together(2, lambda i: stores[i].mark_note_summarized(note.id, {"recap": str(i)}, [commitment]))
            stored = [r for r in results if isinstance(r, list)]
            refused = [r for r in results if isinstance(r, InvalidInput)]
            assert len(stored) == 1 and len(refused) == 1, results
            kept = setup.note_commitments(note.id)  # drafts until confirmed: read them by note
            assert sorted(c.id for c in kept) == sorted(stored[0])
    finally:
        for store in (setup, *stores):
            store.close()


def test_two_processes_changing_one_commitment_keep_one_history_chain(pg_db: str) -> None:
    """Each status change records the status it replaced: concurrent changes must not both start from 'open'."""
    setup = Store(pg_db)
    setup.migrate()
    setup.seed_people(PEOPLE_FILE)
    stores = [Store(pg_db), Store(pg_db)]
    commitment = {"owner": "Lena Fischer", "action": "Write the design doc", "due": "2026-03-13",
                  "success_indicator": None, "competency_ids": [], "evidence": "Lena will write the doc"}
    try:
        for round_ in range(15):
            note, _ = setup.save_note("lena-fischer", "daniel-kim", date(2026, 3, 2), f"notes {round_}")
            (cid,) = setup.mark_note_summarized(note.id, {"recap": "x"}, [commitment])
            statuses = ["done", "dropped"]
            together(2, lambda i: stores[i].update_commitment_status(cid, statuses[i], "daniel-kim"))
            history = [(e.from_status, e.to_status) for e in setup.commitment_history(cid)]
            assert len(history) == 3 and all(a[1] == b[0] for a, b in zip(history, history[1:])), history
    finally:
        for store in (setup, *stores):
            store.close()


# --- two API processes (one of them with two workers) over HTTP ----------------------------------------------

KNOWLEDGE_DIR = PROJECT_ROOT / "knowledge"
NOTES = """Career check-in with Lena.
- Lena will write the design doc for the payments retry service by next Friday.
- I'll introduce her to Tom from the platform team this week.
- Next check-in in 6 weeks.
"""
PARTICIPANTS = [{"name": "Daniel Kim", "role": "manager"}, {"name": "Lena Fischer", "role": "employee"}]


@dataclass
class Cluster:
    """Server A (one process) and server B (`--workers 2`) over one database and one Chroma server."""

    servers: dict[str, str]
    store: Store
    tokens: dict[str, str]
    indexed: int

    def client(self, server: str, who: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {self.tokens[who]}"} if who else {}
        return loopback_client(self.servers[server], headers=headers, timeout=120)


def start_api(env: dict[str, str], cwd: Path, port: int, workers: int, log: Path) -> subprocess.Popen:
    """`coach serve` as its own process (group), logging to a file."""
    with log.open("wb") as out:
        return subprocess.Popen([sys.executable, "-m", "coach.cli", "serve", "--host", "127.0.0.1", "--port", str(port),
                                 "--workers", str(workers)], env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)


def wait_healthy(base_url: str, proc: subprocess.Popen, log: Path, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{base_url} exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(f"{base_url}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{base_url} not healthy within {timeout:.0f} s:\n{log.read_text()[-3000:]}")


def wait_for_log(log: Path, line: str, times: int, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while log.read_text(errors="replace").count(line) < times:
        if time.monotonic() > deadline:
            tail = log.read_text(errors="replace")[-3000:]
            raise RuntimeError(f"'{line}' not {times} times in {log} within {timeout:.0f} s:\n{tail}")
        time.sleep(0.5)


@pytest.fixture(scope="module")
def cluster(postgres_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """A fresh database and `chroma run`; servers A and B started at the same time; the knowledge indexed via A."""
    root = tmp_path_factory.mktemp("multi-server")
    try:
        chroma = chroma_run(root / "chroma")
        chroma_port = chroma.__enter__()
    except (FileNotFoundError, RuntimeError) as exc:
        pytest.skip(f"chroma run cannot start here: {exc}")
    url = fresh_database(postgres_url)
    procs: list[subprocess.Popen] = []
    store = None
    try:
        # cwd is a scratch dir so a developer's .env cannot leak in; every setting comes from here.
        env = child_env(COACH_DATABASE_URL=url, COACH_CHROMA_HOST="127.0.0.1", COACH_CHROMA_PORT=str(chroma_port),
                        COACH_DATA_DIR=str(root / "data"), COACH_KNOWLEDGE_DIR=str(KNOWLEDGE_DIR),
                        COACH_SEED_PEOPLE_FILE=str(PEOPLE_FILE), COACH_LLM_PROVIDER="none")
        servers = {"A": (free_port(), 1), "B": (free_port(), 2)}
        logs = {name: root / f"{name}.log" for name in servers}
        procs = [start_api(env, root, port, workers, logs[name]) for name, (port, workers) in servers.items()]
        urls = {name: f"http://127.0.0.1:{port}" for name, (port, _) in servers.items()}
        for (name, base_url), proc in zip(urls.items(), procs):
            wait_healthy(base_url, proc, logs[name])
        wait_for_log(logs["B"], "Application startup complete", times=2)  # both of B's workers serve
        store = Store(url)  # a third process's view: tokens are made here, as `coach token create` would
        tokens = {"admin": store.create_token("admin", None, "multi"),
                  "manager": store.create_token("manager", "daniel-kim", "multi"),  # manages lena-fischer
                  "employee": store.create_token("employee", "lena-fischer", "multi"),
                  "other_employee": store.create_token("employee", "priya-raman", "multi")}
        # Index once, through server A, while both run: B must answer from what A wrote to the Chroma server.
        with loopback_client(urls["A"], headers={"Authorization": f"Bearer {tokens['admin']}"},
                          timeout=600) as c:
            indexed = c.post("/v1/knowledge/reindex")
        assert indexed.status_code == 200, indexed.text
        yield Cluster(urls, store, tokens, indexed.json()["added"])
    finally:
        for proc in procs:
            stop(proc)
        if store is not None:
            store.close()
        chroma.__exit__(None, None, None)
        drop_database(postgres_url, url)


def summary_body(notes: str = NOTES) -> dict:
    return {"employee_id": "lena-fischer", "notes": notes, "meeting_date": "2026-03-02", "participants": PARTICIPANTS}


def test_both_servers_read_the_one_index(cluster: Cluster) -> None:
    answers = {}
    for server in cluster.servers:
        with cluster.client(server, "employee") as c:
            ready = c.get("/v1/ready")
            assert ready.status_code == 200, ready.text
            assert ready.json()["checks"]["chroma"] == f"ok ({cluster.indexed} documents)"
            hits = c.get("/v1/search", params={"q": "I want to manage a sales team", "kind": "role", "top": 3})
            answers[server] = [h["id"] for h in hits.json()]
    assert answers["A"] == answers["B"] and "sales-manager" in answers["A"]


def test_a_token_works_on_every_server_and_its_revocation_reaches_all(cluster: Cluster) -> None:
    token = cluster.store.create_token("employee", "lena-fischer", "revoke me")
    headers = {"Authorization": f"Bearer {token}"}
    for server in cluster.servers:
        with cluster.client(server) as c:
            assert c.get("/v1/employees/lena-fischer/commitments", headers=headers).status_code == 200
    principal = cluster.store.authenticate(token)
    assert principal is not None and principal.token_id is not None
    cluster.store.revoke_token(principal.token_id)
    for server in cluster.servers:  # no server keeps a cached answer for the token
        with cluster.client(server) as c:
            for _ in range(4):  # several requests, so both of B's workers are likely asked
                assert c.get("/v1/employees/lena-fischer/commitments", headers=headers).status_code == 401


@pytest.mark.parametrize("server", ["A", "B"])
def test_access_rules_hold_on_each_server(cluster: Cluster, server: str) -> None:
    expected = {("employee", "lena-fischer"): 200, ("employee", "priya-raman"): 403,
                ("manager", "lena-fischer"): 200, ("manager", "sofia-marquez"): 403,
                ("other_employee", "lena-fischer"): 403, ("admin", "priya-raman"): 200}
    for (who, employee), status in expected.items():
        with cluster.client(server, who) as c:
            assert c.get(f"/v1/employees/{employee}/commitments").status_code == status, (who, employee)
    with cluster.client(server) as c:
        assert c.get("/v1/employees/lena-fischer/commitments").status_code == 401
    with cluster.client(server, "employee") as c:
        assert c.post("/v1/knowledge/reindex").status_code == 403


def commitments_of_note(cluster: Cluster, server: str, note_id: str) -> list[str]:
    """The ids of a note's commitments as a server sees them (a summary's commitments are drafts until confirmed)."""
    with cluster.client(server, "manager") as c:
        view = c.get(f"/v1/notes/{note_id}")
    assert view.status_code == 200
    return sorted(item["id"] for item in view.json()["commitments"])


def test_an_idempotency_key_sent_to_both_servers_stores_one_summary(cluster: Cluster) -> None:
    key = {"Idempotency-Key": f"multi-{uuid.uuid4()}"}
    with cluster.client("A", "manager") as c:
        first = c.post("/v1/summaries", json=summary_body(), headers=key)
    with cluster.client("B", "manager") as c:
        again = c.post("/v1/summaries", json=summary_body(), headers=key)
        changed = c.post("/v1/summaries", json=summary_body(NOTES + "- Lena will also mentor Tom.\n"), headers=key)
    assert first.status_code == 200 and again.status_code == 200, (first.text, again.text)
    assert first.json()["replayed"] is False and again.json()["replayed"] is True
    assert again.json()["note_id"] == first.json()["note_id"]
    assert again.json()["commitment_ids"] == first.json()["commitment_ids"] != []
    assert changed.status_code == 422 and changed.json()["field"] == "idempotency_key"
    for server in cluster.servers:
        assert commitments_of_note(cluster, server, first.json()["note_id"]) == sorted(first.json()["commitment_ids"])


def test_an_idempotency_key_sent_to_both_servers_at_once_stores_one_summary(cluster: Cluster) -> None:
    for _ in range(6):
        key = {"Idempotency-Key": f"race-{uuid.uuid4()}"}
        servers = list(cluster.servers)

        def send(i: int) -> httpx.Response:
            with cluster.client(servers[i], "manager") as c:
                return c.post("/v1/summaries", json=summary_body(), headers=key)

        answers = together(2, send)
        assert all(isinstance(a, httpx.Response) and a.status_code == 200 for a in answers), answers
        bodies = [a.json() for a in answers]
        assert bodies[0]["note_id"] == bodies[1]["note_id"]
        assert sorted(bodies[0]["commitment_ids"]) == sorted(bodies[1]["commitment_ids"]) != []
        assert sorted(b["replayed"] for b in bodies) == [False, True]
        assert commitments_of_note(cluster, "A", bodies[0]["note_id"]) == sorted(bodies[0]["commitment_ids"])


def test_commitments_made_on_one_server_change_and_list_on_the_other(cluster: Cluster) -> None:
    with cluster.client("A", "manager") as c:
        made = c.post("/v1/summaries", json=summary_body(), headers={"Idempotency-Key": f"c-{uuid.uuid4()}"}).json()
    cid = made["commitment_ids"][0]
    with cluster.client("B", "manager") as c:  # the draft confirmed on the other server, then tracked on both
        assert c.post(f"/v1/notes/{made['note_id']}/confirm").status_code == 200
    with cluster.client("B", "other_employee") as c:
        assert c.patch(f"/v1/commitments/{cid}", json={"status": "done"}).status_code == 403
    with cluster.client("B", "manager") as c:
        done = c.patch(f"/v1/commitments/{cid}", json={"status": "done", "comment": "shipped"})
    assert done.status_code == 200 and done.json()["history"][-1]["to_status"] == "done"
    with cluster.client("A", "manager") as c:
        listed = c.get("/v1/employees/lena-fischer/commitments?status=done").json()["items"]
        assert cid in [x["id"] for x in listed]
        listed = c.get("/v1/employees/lena-fischer/commitments?status=open").json()["items"]
        assert cid not in [x["id"] for x in listed]
    # Two servers changing one commitment at once: both changes are kept, and the history stays one chain.
    changes = ["open", "dropped"]

    def change(i: int) -> httpx.Response:
        with cluster.client(list(cluster.servers)[i], "manager") as c:
            return c.patch(f"/v1/commitments/{cid}", json={"status": changes[i]})

    assert [r.status_code for r in together(2, change)] == [200, 200]
    history = [(e.from_status, e.to_status) for e in cluster.store.commitment_history(cid)]
    assert len(history) == 5 and all(prev[1] == nxt[0] for prev, nxt in zip(history, history[1:])), history
