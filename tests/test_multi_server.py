"""More than one API process against one PostgreSQL and one Chroma server: nothing lives only in one process."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest

from coach.errors import InvalidInput
from coach.settings import PROJECT_ROOT
from coach.store.store import Store

PEOPLE_FILE = PROJECT_ROOT / "examples" / "people.yaml"


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
    yield fresh_database(postgres_url)


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
            kept = [c for c in setup.list_commitments("lena-fischer") if c.note_id == note.id]
            assert [c.id for c in kept] == stored[0]
    finally:
        for store in (setup, *stores):
            store.close()
