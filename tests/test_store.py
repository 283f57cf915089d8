"""The store on real SQLite files: migrations, people, tokens, access rules, notes, commitments, failures."""

from __future__ import annotations

import shutil
import sqlite3
import threading
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, event, inspect

from coach.errors import Forbidden, InvalidInput, NotFound, StorageUnavailable
from coach.settings import PROJECT_ROOT
from coach.store import Principal, Store, can_access, require_access
from coach.store.models import Base, CommitmentEventRow
from coach.store.store import hash_token

PEOPLE_FILE = PROJECT_ROOT / "examples" / "people.yaml"
MEETING = date(2025, 3, 3)
TABLES = {"people", "api_tokens", "notes", "commitments", "commitment_events", "development_maps",
          "map_action_progress"}


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


@pytest.fixture()
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "coach.db"


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated, seeded database file; each test gets a copy (migrating anew costs 0.2-0.9 s a test)."""
    path = tmp_path_factory.mktemp("template") / "coach.db"
    built = Store(sqlite_url(path))
    built.migrate()
    built.seed_people(PEOPLE_FILE)
    built.close()
    return path


@pytest.fixture()
def store(db_path: Path, seeded_template: Path) -> Iterator[Store]:
    """A migrated store seeded with the sample organisation, of its own."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(seeded_template, db_path)
    built = Store(sqlite_url(db_path))
    built.migrate()  # at head already: checks and returns
    yield built
    built.close()


def commitment(action: str = "Draft the audit plan", **extra: object) -> dict:
    """A commitment as the summary pipeline hands it over."""
    return {"owner": "Priya Raman", "action": action, "due": "2025-03-17", "success_indicator": "Plan shared",
            "competency_ids": ["data-analysis"], "evidence": "Priya to draft the audit plan in 2 weeks", **extra}


def note(store: Store, key: str | None = None, **overrides: object) -> tuple:
    """Save sample notes for Priya written by her manager."""
    args = {"employee_id": "priya-raman", "author_id": "sofia-marquez", "meeting_date": MEETING,
            "text": "Priya wants to lead the spring audit.", "idempotency_key": key, **overrides}
    return store.save_note(**args)


# --- migrations and people --------------------------------------------------------------------------


def _head() -> str:
    """The newest migration: the database must end there, whichever helper added the last one."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from coach.store.store import MIGRATIONS_DIR

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return ScriptDirectory.from_config(cfg).get_current_head()


def test_migrate_from_empty_creates_schema_matching_models(db_path: Path) -> None:
    store = Store(sqlite_url(db_path))
    store.migrate()  # also creates the missing data directory
    store.migrate()  # and is idempotent
    engine = create_engine(sqlite_url(db_path))
    with engine.connect() as conn:
        assert TABLES <= set(inspect(conn).get_table_names())
        assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar_one() == _head()
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar_one() == "wal"
        # The migration and the ORM models describe the same schema.
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert diff == []
    engine.dispose()
    store.close()


def test_upgrade_from_0001_keeps_existing_commitments_tracked(db_path: Path) -> None:
    from alembic import command
    from alembic.config import Config

    from coach.store.store import MIGRATIONS_DIR

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", sqlite_url(db_path))
    db_path.parent.mkdir(parents=True, exist_ok=True)
    command.upgrade(cfg, "0001")
    with sqlite3.connect(db_path) as conn:  # data written by the previous version
        conn.execute("INSERT INTO people (id, name, created_at) VALUES ('p', 'P', '2025-01-01 00:00:00')")
        conn.execute("INSERT INTO commitments (id, employee_id, action, competency_ids, evidence, status, created_at, "
                     "updated_at) VALUES ('c', 'p', 'Ship it', '[]', '', 'open', '2025-01-01 00:00:00', "
                     "'2025-01-01 00:00:00')")
    store = Store(sqlite_url(db_path))
    store.migrate()
    assert [(c.id, c.review) for c in store.list_commitments("p")] == [("c", "confirmed")]
    command.downgrade(cfg, "0001")  # and the migration goes back down
    store.close()


def test_seed_people_is_idempotent_and_builds_reporting_lines(store: Store) -> None:
    before = store.list_people()
    assert store.seed_people(PEOPLE_FILE) == len(before) == 12
    after = store.list_people()
    assert [p.model_dump() for p in after] == [p.model_dump() for p in before]
    priya = store.get_person("priya-raman")
    assert priya is not None and priya.role_id == "data-analyst" and priya.manager_id == "sofia-marquez"
    assert store.reports_of("sofia-marquez") == {"priya-raman", "kwame-mensah", "hannah-wright"}
    assert "priya-raman" in store.reports_of("amara-okafor")
    assert "priya-raman" not in store.reports_of("amara-okafor", transitive=False)
    assert store.reports_of("priya-raman") == set()
    assert store.get_person("nobody") is None


def test_people_reject_unknown_managers_and_cycles(store: Store, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput) as info:
        store.upsert_person("new-person", "New Person", manager_id="ghost")
    assert info.value.field == "manager_id"
    with pytest.raises(InvalidInput, match="own reporting line"):
        store.upsert_person("amara-okafor", "Amara Okafor", manager_id="priya-raman")
    with pytest.raises(InvalidInput) as info:
        store.upsert_person("Not A Slug", "X")
    assert info.value.field == "id"
    bad = tmp_path / "people.yaml"
    bad.write_text("people:\n  - id: a\n    name: A\n    manager: b\n  - id: b\n    name: B\n    manager: a\n")
    with pytest.raises(InvalidInput, match="own reporting line"):
        store.seed_people(bad)
    assert store.get_person("a") is None  # nothing half-written
    # A file may list reports before their manager.
    ok = tmp_path / "ok.yaml"
    ok.write_text("people:\n  - id: c\n    name: C\n    manager: d\n  - id: d\n    name: D\n")
    assert store.seed_people(ok) == 2 and store.reports_of("d") == {"c"}


# --- tokens and access ----------------------------------------------------------------------------


def test_tokens_are_hashed_authenticated_and_revocable(store: Store, db_path: Path) -> None:
    token = store.create_token("manager", "sofia-marquez", "sofia's laptop")
    assert token.startswith("coach_") and len(token) > 40
    principal = store.authenticate(token)
    assert principal is not None and principal.role == "manager" and principal.person_id == "sofia-marquez"
    assert principal.reports == {"priya-raman", "kwame-mensah", "hannah-wright"}
    admin = store.authenticate(store.create_token("admin", None, "ops"))
    assert admin is not None and admin.role == "admin" and admin.person_id is None
    store.close()  # checkpoint nothing in memory: read every byte on disk, WAL included
    on_disk = b"".join(p.read_bytes() for p in db_path.parent.glob("coach.db*"))
    assert token.encode() not in on_disk
    assert hash_token(token).encode() in on_disk
    assert store.authenticate(token + "x") is None and store.authenticate("") is None
    store.revoke_token(principal.token_id)
    assert store.authenticate(token) is None
    assert [t.revoked_at is not None for t in store.list_tokens()] == [True, False]
    with pytest.raises(InvalidInput):
        store.create_token("employee", None, "no person")
    with pytest.raises(InvalidInput):
        store.create_token("superuser", None, "")
    with pytest.raises(InvalidInput):
        store.create_token("employee", "ghost", "")


ADMIN = Principal(role="admin")
MANAGER = Principal(role="manager", person_id="sofia-marquez", reports=frozenset({"priya-raman", "kwame-mensah"}))
EMPLOYEE = Principal(role="employee", person_id="priya-raman")


@pytest.mark.parametrize(("principal", "own", "report", "other"), [
    (ADMIN, True, True, True),
    (MANAGER, True, True, False),
    (EMPLOYEE, True, False, False),
])
def test_access_matrix(principal: Principal, own: bool, report: bool, other: bool) -> None:
    own_id = principal.person_id or "amara-okafor"
    assert can_access(principal, own_id) is own
    assert can_access(principal, "priya-raman" if principal is not EMPLOYEE else "kwame-mensah") is report
    assert can_access(principal, "lena-fischer") is other


def test_denial_does_not_reveal_whether_the_employee_exists() -> None:
    messages = []
    for employee_id in ("lena-fischer", "no-such-person"):
        with pytest.raises(Forbidden) as info:
            require_access(EMPLOYEE, employee_id)
        messages.append(info.value.message)
    assert messages[0] == messages[1]
    require_access(MANAGER, "priya-raman")  # allowed: no exception


def test_authenticated_manager_reaches_indirect_reports(store: Store) -> None:
    director = store.authenticate(store.create_token("manager", "amara-okafor", "director"))
    assert director is not None
    assert can_access(director, "priya-raman") and can_access(director, "daniel-kim")
    assert not can_access(director, "grace-adeyemi")


# --- notes ----------------------------------------------------------------------------------------


def test_save_note_is_idempotent_per_author_and_key(store: Store) -> None:
    first, created = note(store, "key-1")
    again, created_again = note(store, "key-1")
    assert created and not created_again and again.id == first.id and again.status == "received"
    other_author, created_other = note(store, "key-1", author_id="amara-okafor")
    assert created_other and other_author.id != first.id
    with pytest.raises(InvalidInput) as info:
        note(store, "key-1", text="Completely different notes.")
    assert info.value.field == "idempotency_key"
    no_key_1, _ = note(store)
    no_key_2, _ = note(store)
    assert no_key_1.id != no_key_2.id
    with pytest.raises(NotFound):
        note(store, employee_id="ghost")
    assert store.get_note(first.id).text == "Priya wants to lead the spring audit."


def test_save_note_with_one_key_from_20_threads_stores_one_note(store: Store) -> None:
    results: list[tuple] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(20)

    def worker() -> None:
        try:
            barrier.wait()
            results.append(note(store, "same-key"))
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len({record.id for record, _ in results}) == 1
    assert sum(created for _, created in results) == 1
    assert len(store.list_notes("priya-raman")) == 1


def test_save_note_falls_back_on_the_unique_constraint(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """PostgreSQL does not serialise writers: a concurrent insert can win after our lookup missed."""
    first, _ = note(store, "race")
    real = Store._note_by_key
    calls: list[int] = []

    def miss_first_lookup(session, author_id, key):  # noqa: ANN001, ANN202
        calls.append(1)
        return None if len(calls) == 1 else real(session, author_id, key)

    monkeypatch.setattr(Store, "_note_by_key", staticmethod(miss_first_lookup))
    again, created = note(store, "race")
    assert not created and again.id == first.id and len(calls) == 2
    assert len(store.list_notes("priya-raman")) == 1


# --- summaries and commitments ------------------------------------------------------------------


def test_summary_and_commitments_are_stored_together(store: Store) -> None:
    saved, _ = note(store, "k")
    ids = store.mark_note_summarized(saved.id, {"recap": "Audit plan."}, [commitment(), commitment("Ask for time")])
    stored = store.get_note(saved.id)
    assert stored.status == "summarized" and stored.summary_json == {"recap": "Audit plan."}
    assert store.list_commitments("priya-raman", today=MEETING) == []  # a draft is not tracked
    listed = store.list_commitments("priya-raman", today=MEETING, review="proposed")
    assert {c.id for c in listed} == set(ids) and listed[0].competency_ids == ["data-analysis"]
    assert listed[0].due == date(2025, 3, 17) and listed[0].note_id == saved.id
    with pytest.raises(InvalidInput):
        store.mark_note_summarized(saved.id, {}, [])  # summarised once only: no duplicate commitments


def test_invalid_commitment_mid_way_writes_nothing(store: Store) -> None:
    saved, _ = note(store, "k")
    with pytest.raises(InvalidInput) as info:
        store.mark_note_summarized(saved.id, {"recap": "x"}, [commitment(), commitment(due="next Friday-ish")])
    assert info.value.field == "commitments[1].due"
    assert store.get_note(saved.id).status == "received" and store.get_note(saved.id).summary_json is None
    assert store.list_commitments("priya-raman", today=MEETING, review=None) == []


def test_database_failure_mid_way_rolls_everything_back(store: Store, db_path: Path) -> None:
    saved, _ = note(store, "k")
    inserted: list[str] = []

    def fail_on_second(_mapper: object, _conn: object, target: CommitmentEventRow) -> None:
        inserted.append(target.commitment_id)
        if len(inserted) == 2:
            raise RuntimeError("disk full (injected)")

    event.listen(CommitmentEventRow, "before_insert", fail_on_second)
    try:
        with pytest.raises(RuntimeError, match="injected"):
            store.mark_note_summarized(saved.id, {"recap": "x"}, [commitment(), commitment("Second")])
    finally:
        event.remove(CommitmentEventRow, "before_insert", fail_on_second)
    assert len(inserted) == 2  # the first commitment and its event had been written before the failure
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT count(*) FROM commitments").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM commitment_events").fetchone() == (0,)
        assert conn.execute("SELECT status, summary_json FROM notes").fetchone() == ("received", None)
    store.mark_note_failed(saved.id, "LLM timed out")
    failed = store.get_note(saved.id)
    assert failed.status == "failed" and failed.error == "LLM timed out"


def test_overdue_flag_only_for_open_commitments_past_due(store: Store) -> None:
    saved, _ = note(store, "k")
    today = date(2025, 4, 1)
    past, future = (today - timedelta(days=1)).isoformat(), (today + timedelta(days=1)).isoformat()
    ids = store.mark_note_summarized(saved.id, {}, [
        commitment("past", due=past), commitment("future", due=future), commitment("undated", due=None),
        commitment("done late", due=past, status="done"), commitment("due today", due=today.isoformat()),
    ])
    assert not any(c.overdue for c in store.list_commitments("priya-raman", today=today, review="proposed"))
    store.confirm_note(saved.id, "sofia-marquez", may_confirm=lambda role: True)
    flags = {c.action: c.overdue for c in store.list_commitments("priya-raman", today=today)}
    assert flags == {"past": True, "future": False, "undated": False, "done late": False, "due today": False}
    assert [c.action for c in store.list_commitments("priya-raman", status="done", today=today)] == ["done late"]
    assert store.get_commitment(ids[0], today=today).overdue
    assert not store.update_commitment_status(ids[0], "done", "priya-raman", today=today).overdue
    with pytest.raises(InvalidInput):
        store.list_commitments("priya-raman", status="late", today=today)


def test_status_changes_are_kept_as_history(store: Store) -> None:
    saved, _ = note(store, "k")
    (cid,) = store.mark_note_summarized(saved.id, {}, [commitment()])
    store.update_commitment_status(cid, "done", "priya-raman", "Shared the plan")
    updated = store.update_commitment_status(cid, "open", "sofia-marquez", "Needs another pass")
    assert updated.status == "open"
    history = store.commitment_history(cid)
    assert [(e.from_status, e.to_status, e.by_person_id) for e in history] == [
        (None, "open", "sofia-marquez"), ("open", "done", "priya-raman"), ("done", "open", "sofia-marquez")]
    assert history[1].comment == "Shared the plan" and history[0].at <= history[1].at <= history[2].at
    with pytest.raises(InvalidInput) as info:
        store.update_commitment_status(cid, "finished", "priya-raman")
    assert info.value.field == "status"
    with pytest.raises(NotFound):
        store.update_commitment_status("no-such-id", "done", None)
    with pytest.raises(NotFound):
        store.get_commitment("no-such-id")
    assert len(store.commitment_history(cid)) == 3  # the rejected changes left no trace


def test_development_maps_are_stored_per_employee(store: Store) -> None:
    first = store.save_map("priya-raman", "sofia-marquez", {"target_role": "senior-data-analyst"})
    second = store.save_map("priya-raman", "priya-raman", {"target_role": "product-manager"})
    maps = store.list_maps("priya-raman")
    assert {m.id for m in maps} == {first.id, second.id} and maps[0].payload["target_role"]
    assert store.list_maps("kwame-mensah") == []
    with pytest.raises(NotFound):
        store.save_map("ghost", "admin", {})


def two_action_map(store: Store) -> str:
    """A stored map for Priya with two actions (the payload as DevelopmentMap JSON keeps them)."""
    actions = [{"title": "Lead the spring audit"}, {"title": "Pair with a senior analyst"}]
    return store.save_map("priya-raman", "sofia-marquez", {"target_role": {"title": "Senior"}, "actions": actions}).id


def test_maps_and_notes_list_newest_first(store: Store) -> None:
    older, newer = two_action_map(store), two_action_map(store)
    assert [m.id for m in store.list_maps("priya-raman")] == [newer, older]
    assert store.get_map(older).payload["actions"][0]["title"] == "Lead the spring audit"
    with pytest.raises(NotFound) as info:
        store.get_map("no-such-map")
    assert info.value.field == "map_id"
    march, _ = note(store, "a")
    april, _ = note(store, "b", meeting_date=date(2025, 4, 1))
    same_day_later, _ = note(store, "c")
    assert [n.id for n in store.list_notes("priya-raman")] == [april.id, same_day_later.id, march.id]


def test_review_counts_per_note(store: Store) -> None:
    saved, _ = note(store, "k")
    ids = store.mark_note_summarized(saved.id, {"recap": ["x"]}, [commitment(), commitment("Book the room")])
    store.update_commitment(ids[0], "sofia-marquez", review="rejected")
    empty, _ = note(store, "other")
    counts = store.review_counts("priya-raman")
    assert counts == {saved.id: {"proposed": 1, "confirmed": 0, "rejected": 1}}
    assert empty.id not in counts and store.review_counts("kwame-mensah") == {}


def test_action_progress_is_set_then_updated_in_place(store: Store) -> None:
    map_id = two_action_map(store)
    assert store.action_progress(map_id) == {}
    first = store.set_action_progress(map_id, 1, "in_progress", None, "priya-raman")
    assert (first.map_id, first.action_index, first.status, first.updated_by) == (map_id, 1, "in_progress",
                                                                                 "priya-raman")
    assert first.updated_at.utcoffset() == timedelta(0)
    done = store.set_action_progress(map_id, 1, "done", "Audit plan shared with the team", "sofia-marquez")
    progress = store.action_progress(map_id)
    assert list(progress) == [1] and progress[1].status == "done" and progress[1].evidence == done.evidence
    assert progress[1].updated_by == "sofia-marquez"
    assert store.action_progress(two_action_map(store)) == {}  # progress belongs to one map


@pytest.mark.parametrize(("index", "status", "evidence", "field", "words"), [
    (2, "done", None, "action_index", "must be 0 to 1, got 2"),
    (-1, "done", None, "action_index", "must be 0 to 1, got -1"),
    (0, "finished", None, "status", "not_started, in_progress, done, dropped"),
    (0, "done", "x" * 2001, "evidence", "at most 2000 characters"),
])
def test_action_progress_rejects_bad_input(store: Store, index: int, status: str, evidence: str | None, field: str,
                                           words: str) -> None:
    map_id = two_action_map(store)
    with pytest.raises(InvalidInput) as info:
        store.set_action_progress(map_id, index, status, evidence, "priya-raman")
    assert info.value.field == field and words in info.value.message
    assert store.action_progress(map_id) == {}
    store.set_action_progress(map_id, 0, "done", "x" * 2000, None)  # the limit itself is allowed


def test_action_progress_on_a_map_without_actions_or_unknown(store: Store) -> None:
    bare = store.save_map("priya-raman", "admin", {"target_role": {"title": "Senior"}}).id
    with pytest.raises(InvalidInput, match="the map has no actions"):
        store.set_action_progress(bare, 0, "done", None, None)
    with pytest.raises(NotFound) as info:
        store.set_action_progress("no-such-map", 0, "done", None, None)
    assert info.value.field == "map_id"
    with pytest.raises(NotFound):
        store.action_progress("no-such-map")


# --- failures ---------------------------------------------------------------------------------------


def test_removed_data_directory_is_storage_unavailable(store: Store, db_path: Path) -> None:
    store.ping()
    shutil.rmtree(db_path.parent)
    with pytest.raises(StorageUnavailable, match="gone"):
        store.ping()
    restarted = Store(sqlite_url(db_path))
    with pytest.raises(StorageUnavailable) as info:
        restarted.get_person("priya-raman")
    assert "unable to open database file" in info.value.message
    restarted.close()


def test_locked_database_is_storage_unavailable_and_nothing_written(db_path: Path) -> None:
    store = Store(sqlite_url(db_path), busy_timeout_s=0.2)
    store.migrate()
    store.seed_people(PEOPLE_FILE)
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        started = time.perf_counter()
        with pytest.raises(StorageUnavailable, match="locked"):
            note(store, "k")
        assert time.perf_counter() - started < 3
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert store.list_notes("priya-raman") == []
    assert note(store, "k")[1] is True  # works again once the lock is gone
    store.close()


def test_missing_driver_is_storage_unavailable_without_the_password() -> None:
    with pytest.raises(StorageUnavailable) as info:
        Store("postgresql+nosuchdriver://coach:s3cret@127.0.0.1:1/coach")
    assert "s3cret" not in info.value.message and info.value.field == "database_url"


def test_unreachable_database_is_storage_unavailable_without_the_password() -> None:
    pytest.importorskip("psycopg")
    store = Store("postgresql+psycopg://coach:s3cret@127.0.0.1:1/coach?connect_timeout=2")
    with pytest.raises(StorageUnavailable) as info:
        store.ping()
    assert "s3cret" not in info.value.message


def test_in_memory_sqlite_works_across_threads() -> None:
    store = Store("sqlite://")
    store.migrate()
    store.upsert_person("solo", "Solo")
    seen: list[str | None] = []
    thread = threading.Thread(target=lambda: seen.append(getattr(store.get_person("solo"), "name", None)))
    thread.start()
    thread.join()
    assert seen == ["Solo"]


def test_postgresql_round_trip(postgres_url: str) -> None:
    store = Store(postgres_url)
    store.migrate()
    store.seed_people(PEOPLE_FILE)
    key = f"pg-{time.time_ns()}"
    saved, created = note(store, key)
    again, created_again = note(store, key)
    assert created and not created_again and again.id == saved.id
    (cid,) = store.mark_note_summarized(saved.id, {"recap": "x"}, [commitment()])
    store.update_commitment_status(cid, "done", "priya-raman")
    assert [e.to_status for e in store.commitment_history(cid)] == ["open", "done"]
    assert "priya-raman" in store.reports_of("amara-okafor")
    map_id = two_action_map(store)
    store.set_action_progress(map_id, 0, "in_progress", None, "priya-raman")
    store.set_action_progress(map_id, 0, "done", "shipped", "sofia-marquez")
    assert [(i, p.status, p.evidence) for i, p in store.action_progress(map_id).items()] == [(0, "done", "shipped")]
    with pytest.raises(InvalidInput):
        store.set_action_progress(map_id, 2, "done", None, None)
    store.close()


def test_records_carry_utc_timestamps(store: Store) -> None:
    person = store.get_person("priya-raman")
    saved, _ = note(store, "k")
    assert person is not None and person.created_at.utcoffset() == timedelta(0)
    assert saved.created_at.utcoffset() == timedelta(0) and store.get_note(saved.id).created_at.tzinfo is not None


def test_the_head_read_from_the_files_is_alembics_head_and_an_up_to_date_start_skips_alembic(tmp_path: Path) -> None:
    """Every start checks the schema; at head it must not load alembic (bench/footprint.py: server start)."""
    import subprocess
    import sys

    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from coach.store.store import MIGRATIONS_DIR, head_revision

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    assert head_revision() == ScriptDirectory.from_config(cfg).get_current_head()
    url = f"sqlite:///{tmp_path / 'coach.db'}"
    Store(url).migrate()  # a new database: alembic creates the schema
    probe = "import sys\nfrom coach.store.store import Store\nStore(sys.argv[1]).migrate()\nprint('alembic' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", probe, url], capture_output=True, text=True, check=True, timeout=60)
    assert out.stdout.strip() == "False"
