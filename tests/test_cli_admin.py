"""Operating commands: token list/revoke/expiry, the stuck-notes sweep, `coach notes retry`, doctor's masking, make run."""

from __future__ import annotations

import json
import os
import subprocess
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from pydantic import SecretStr

from coach.cli import app
from coach.cli.admin import _mask, parse_expiry
from coach.settings import PROJECT_ROOT, get_settings
from coach.store.store import Store
from tests.test_cli import EngineRunner, cli_env  # noqa: F401 - the fixture

PARTICIPANTS = [{"name": "Daniel Kim", "role": "manager"}, {"name": "Lena Fischer", "role": "employee"}]


def _json(runner: EngineRunner, *args: str) -> object:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_token_create_with_expiry_list_and_revoke(cli_env: Path, engine) -> None:  # noqa: ANN001, F811
    runner = EngineRunner(engine)
    runner.invoke(app, ["setup-local"])
    created = _json(runner, "token", "create", "--role", "manager", "--person", "daniel-kim", "--label", "ci",
                    "--expires", "30d")
    expires = datetime.fromisoformat(created["expires_at"])
    assert timedelta(days=29) < expires - datetime.now(timezone.utc) <= timedelta(days=30)
    dated = _json(runner, "token", "create", "--role", "admin", "--expires", (date.today() + timedelta(days=3)).isoformat())
    store = Store(get_settings().resolved_database_url)
    assert store.authenticate(created["token"]) is not None  # records the last use
    listed = runner.invoke(app, ["token", "list", "--json"])
    rows = json.loads(listed.stdout)
    assert created["token"] not in listed.stdout and dated["token"] not in listed.stdout  # never a secret
    ci = next(r for r in rows if r["label"] == "ci")
    assert ci["state"] == "active" and ci["last_used_at"] is not None and ci["expires_at"] == created["expires_at"]
    text = runner.invoke(app, ["token", "list"]).stdout
    assert "ci" in text and created["token"] not in text
    assert _json(runner, "token", "revoke", str(ci["id"]))["revoked"] == ci["id"]
    assert store.authenticate(created["token"]) is None
    assert next(r for r in _json(runner, "token", "list") if r["id"] == ci["id"])["state"] == "revoked"
    for bad in ("0d", "yesterday", "2000-01-01"):
        refused = runner.invoke(app, ["token", "create", "--role", "admin", "--expires", bad, "--json"])
        assert refused.exit_code == 2 and json.loads(refused.stderr)["field"] == "expires", bad
    assert runner.invoke(app, ["token", "revoke", "99999"]).exit_code == 2
    store.close()


def test_expiry_parsing() -> None:
    now = datetime(2026, 3, 2, 12, tzinfo=timezone.utc)
    assert parse_expiry("12h", now=now) == now + timedelta(hours=12)
    assert parse_expiry("2w", now=now) == now + timedelta(weeks=2)
    assert parse_expiry("2026-04-01", now=now) == datetime(2026, 4, 1, tzinfo=timezone.utc)
    assert parse_expiry(None) is None


def test_stuck_notes_are_swept_reported_and_retried(cli_env: Path, engine) -> None:  # noqa: ANN001, F811
    runner = EngineRunner(engine)
    store = Store(get_settings().resolved_database_url)
    store.migrate()
    store.seed_people(PROJECT_ROOT / "examples" / "people.yaml")
    note, _ = store.save_note("lena-fischer", "daniel-kim", date(2026, 3, 2),
                              "Lena will write the design doc by next Friday.", participants=PARTICIPANTS)
    later = datetime.now(timezone.utc) + timedelta(minutes=30)
    assert [n.id for n in store.stuck_notes(timedelta(minutes=15), now=later)] == [note.id]
    doctor = runner.invoke(app, ["doctor", "--json"])
    assert json.loads(doctor.stdout)["checks"]["notes"]["status"] == "ok"  # not stuck yet: only seconds old
    assert store.sweep_stuck_notes(timedelta(minutes=15), now=later) == [note.id]
    swept = store.get_note(note.id)
    assert swept.status == "failed" and "stale" in swept.error and f"coach notes retry {note.id}" in swept.error
    report = json.loads(runner.invoke(app, ["doctor", "--json"]).stdout)["checks"]["notes"]
    assert report["status"] == "warn" and note.id in report["detail"]
    retried = _json(runner, "notes", "retry", note.id)
    assert retried["note_id"] == note.id and len(retried["commitment_ids"]) == 1
    assert store.get_note(note.id).status == "summarized"
    assert runner.invoke(app, ["notes", "retry", note.id]).exit_code == 2  # already summarized
    store.close()


def test_api_start_up_sweeps_stuck_notes(tmp_path: Path, engine, settings) -> None:  # noqa: ANN001
    from api.main import create_app
    from tests.servers import serve

    url = f"sqlite:///{tmp_path / 'coach.db'}"
    store = Store(url)
    store.migrate()
    store.seed_people(PROJECT_ROOT / "examples" / "people.yaml")
    note, _ = store.save_note("lena-fischer", "daniel-kim", date(2026, 3, 2), "Notes.", participants=PARTICIPANTS)
    with store._session(write=True) as session:  # a note stored an hour ago by a process that then crashed
        from coach.store.models import Note
        session.get(Note, note.id).created_at = datetime.now(timezone.utc) - timedelta(hours=1)
    with serve(create_app(settings, engine=engine, store=store)):
        pass
    assert store.get_note(note.id).status == "failed" and "stale" in store.get_note(note.id).error
    store.close()


def test_doctor_masks_secrets_only() -> None:
    assert _mask("port", 8000) == "8000"
    assert _mask("llm_max_tokens", 2048) == "2048"
    assert _mask("max_body_bytes", 256_000) == "256000"
    assert _mask("llm_api_key", SecretStr("sk-abcdefgh1234")) == "****1234"
    assert _mask("smtp_password", "hunter2") == "****"
    assert _mask("chroma_host", "localhost") == "localhost"


@pytest.mark.parametrize("how", ["env", "arg"])
def test_make_run_honours_coach_port(how: str) -> None:
    env = {**os.environ, "COACH_PORT": "9123", "COACH_HOST": "0.0.0.0"} if how == "env" else dict(os.environ)
    args = ["make", "-n", "run"] + (["COACH_PORT=9123", "COACH_HOST=0.0.0.0"] if how == "arg" else [])
    out = subprocess.run(args, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, check=True).stdout
    assert "serve --host 0.0.0.0 --port 9123" in out


def test_signin_link_signs_in_once_and_setup_local_prints_links(cli_env: Path, engine) -> None:  # noqa: ANN001, F811
    from coach.store.web import redeem_signin_code

    runner = EngineRunner(engine)
    setup = runner.invoke(app, ["setup-local"])
    assert setup.exit_code == 0 and setup.stdout.count("/signin/link?code=csi_") == 3
    made = _json(runner, "signin-link", "--role", "manager", "--person", "daniel-kim", "--minutes", "5")
    code = made["url"].split("code=")[1]
    store = Store(get_settings().resolved_database_url)
    principal = redeem_signin_code(store, code)
    assert principal is not None and principal.person_id == "daniel-kim" and "lena-fischer" in principal.reports
    assert redeem_signin_code(store, code) is None  # one time only
    missing = runner.invoke(app, ["signin-link", "--role", "employee", "--person", "nobody"])
    assert missing.exit_code == 2 and "person: no person 'nobody'" in missing.output
    too_long = runner.invoke(app, ["signin-link", "--role", "admin", "--minutes", "999999"])
    assert too_long.exit_code == 2 and "minutes: from 1 to 10080" in too_long.output
