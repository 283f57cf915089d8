"""The rhythm between conversations: cadences, overdue sessions, the iCalendar feed and overdue-commitment webhooks."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from pydantic import SecretStr, ValidationError

from coach.cli import app
from coach.rhythm.cadence import add_months, next_session, refresh_next_session
from coach.rhythm.ics import MAX_OCTETS, Event, fold, render
from coach.rhythm.webhooks import SIGNATURE_HEADER, TIMESTAMP_HEADER, overdue_sweep, verify
from coach.settings import PROJECT_ROOT, Settings
from coach.store import rhythm as rows
from coach.store.store import Store
from tests.conftest import free_port
from tests.test_cli import EngineRunner, cli_env  # noqa: F401 - the fixture

TODAY = date.today()
SECRET = "a-webhook-secret-for-tests"


def _note(store: Store, employee_id: str, meeting: date) -> None:
    store.save_note(employee_id, "daniel-kim", meeting, "Career conversation notes.")


def _tracked(store: Store, employee_id: str, action: str, due: date) -> str:
    note, _ = store.save_note(employee_id, "daniel-kim", due - timedelta(days=30), "Notes.")
    [cid] = store.mark_note_summarized(note.id, {"recap": "r"}, [{"owner": "Lena Fischer", "owner_role": "employee",
                                                                  "action": action, "due": due.isoformat()}])
    store.confirm_note(note.id, "daniel-kim", may_confirm=lambda _role: True)
    return cid


# --- next session ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "every", "anchor", "last", "expected"), [
    ("quarterly", None, date(2026, 1, 15), None, date(2026, 4, 15)),
    ("quarterly", None, date(2026, 11, 30), None, date(2027, 2, 28)),  # clipped to the shorter month
    ("twice-a-year", None, date(2026, 1, 31), None, date(2026, 7, 31)),
    ("twice-a-year", None, date(2026, 8, 31), None, date(2027, 2, 28)),
    ("quarterly", None, date(2026, 1, 15), date(2026, 3, 2), date(2026, 6, 2)),  # the last conversation counts
    ("quarterly", None, date(2026, 5, 1), date(2026, 3, 2), date(2026, 8, 1)),  # an anchor after it wins
    ("custom", 14, date(2026, 2, 20), None, date(2026, 3, 6)),
    ("custom", 366, date(2027, 12, 31), date(2027, 1, 1), date(2028, 12, 31)),
])
def test_next_session(kind: str, every: int | None, anchor: date, last: date | None, expected: date) -> None:
    assert next_session(kind, every, anchor, last) == expected


def test_add_months_over_a_leap_day() -> None:
    assert add_months(date(2028, 2, 29), 12) == date(2029, 2, 28)
    assert add_months(date(2027, 11, 29), 3) == date(2028, 2, 29)


# --- cadences over HTTP ------------------------------------------------------------------------------------------


def test_cadence_is_set_then_follows_the_notes(api, store) -> None:  # noqa: ANN001
    # A report of Daniel's with no conversations on file (other tests file notes for the sample people).
    store.upsert_person("rosa-rhythm", "Rosa Rhythm", manager_id="daniel-kim", role_id="software-engineer-ii")
    anchor = TODAY - timedelta(days=10)
    with api.client("manager") as client:
        put = client.put("/v1/employees/rosa-rhythm/cadence", json={"kind": "quarterly", "anchor": anchor.isoformat()})
        assert put.status_code == 200, put.text
        body = put.json()
        assert body["manager_id"] == "daniel-kim" and body["next_session"] == add_months(anchor, 3).isoformat()
        assert body["last_session"] is None and body["overdue"] is False
        _note(store, "rosa-rhythm", TODAY - timedelta(days=2))  # a conversation was filed
        fresh = client.get("/v1/employees/rosa-rhythm/cadence").json()
        assert fresh["next_session"] == add_months(TODAY - timedelta(days=2), 3).isoformat()
        assert fresh["last_session"] == (TODAY - timedelta(days=2)).isoformat()
    assert rows.get_cadence(store, "rosa-rhythm").next_session.isoformat() == fresh["next_session"]  # stored
    _note(store, "rosa-rhythm", TODAY)
    assert refresh_next_session(store, "rosa-rhythm").next_session == add_months(TODAY, 3)  # the hook for the lead
    assert rows.get_cadence(store, "rosa-rhythm").next_session == add_months(TODAY, 3)
    assert refresh_next_session(store, "amara-okafor") is None  # no cadence: nothing to do
    with api.client("manager") as client:  # with no anchor, a pair counts from its last conversation
        assert client.put("/v1/employees/jonas-berg/cadence", json={"kind": "quarterly"}).json()["anchor"] == \
            TODAY.isoformat()  # none on file: from today
        _note(store, "jonas-berg", TODAY - timedelta(days=40))
        late = client.put("/v1/employees/jonas-berg/cadence", json={"kind": "custom", "every_days": 30}).json()
        assert late["anchor"] == late["last_session"] == (TODAY - timedelta(days=40)).isoformat()
        assert late["next_session"] == (TODAY - timedelta(days=10)).isoformat()
        assert late["overdue"] is True and late["days_until"] == -10 and late["every_days"] == 30
    with api.client("employee") as client:  # the employee may set their own rhythm, like their other records
        assert client.put("/v1/employees/lena-fischer/cadence", json={"kind": "twice-a-year"}).status_code == 200


@pytest.mark.parametrize(("body", "field"), [
    ({"kind": "custom"}, "every_days"),
    ({"kind": "custom", "every_days": 13}, "every_days"),
    ({"kind": "custom", "every_days": 367}, "every_days"),
    ({"kind": "quarterly", "every_days": 30}, "every_days"),
    ({"kind": "weekly"}, "kind"),
    ({"kind": "quarterly", "anchor": "1999-12-31"}, "anchor"),
    ({"kind": "quarterly", "cadence": "x"}, "cadence"),
    ({"kind": "quarterly", "manager_id": "sofia-marquez"}, "manager_id"),  # lena does not report to her
    ({"kind": "quarterly", "manager_id": "lena-fischer"}, "manager_id"),
])
def test_cadence_validation_names_the_field(api, body: dict, field: str) -> None:  # noqa: ANN001
    with api.client("admin") as client:
        response = client.put("/v1/employees/lena-fischer/cadence", json=body)
    assert response.status_code == 422, response.text
    assert response.json()["field"] == field


def test_cadence_access_and_missing(api) -> None:  # noqa: ANN001
    with api.client("other_employee") as client:
        assert client.put("/v1/employees/lena-fischer/cadence", json={"kind": "quarterly"}).status_code == 403
        assert client.get("/v1/employees/lena-fischer/cadence").status_code == 403
    with api.client("admin") as client:
        no_manager = client.put("/v1/employees/grace-adeyemi/cadence", json={"kind": "quarterly"})
        assert no_manager.status_code == 422 and no_manager.json()["field"] == "manager_id"
        missing = client.get("/v1/employees/kwame-mensah/cadence")
        assert missing.status_code == 404 and missing.json()["field"] == "employee_id"
        # A skip-level pair is allowed when named: Kwame reports to Sofia, who reports to Amara.
        skip = client.put("/v1/employees/kwame-mensah/cadence", json={"kind": "twice-a-year",
                                                                      "manager_id": "amara-okafor"})
        assert skip.status_code == 200 and skip.json()["manager_id"] == "amara-okafor"


def test_overdue_sessions_for_the_manager_only(api, store) -> None:  # noqa: ANN001
    with api.client("manager") as client:
        assert client.put("/v1/employees/tomas-silva/cadence", json={
            "kind": "custom", "every_days": 14, "anchor": (TODAY - timedelta(days=60)).isoformat()}).status_code == 200
        assert client.put("/v1/employees/mei-chen/cadence", json={"kind": "quarterly"}).status_code == 200
        overdue = client.get("/v1/managers/daniel-kim/overdue-sessions")
        assert overdue.status_code == 200, overdue.text
        listed = {o["employee_id"]: o for o in overdue.json()}
        assert "mei-chen" not in listed
        tomas = listed["tomas-silva"]
        assert tomas["days_overdue"] == 46 and tomas["employee_name"] == "Tomás Silva"
        assert tomas["next_session"] == (TODAY - timedelta(days=46)).isoformat()
        days = [o["days_overdue"] for o in overdue.json()]
        assert days == sorted(days, reverse=True)
        assert client.get("/v1/managers/amara-okafor/overdue-sessions").status_code == 403
    _note(store, "tomas-silva", TODAY - timedelta(days=3))  # they met: no longer overdue
    with api.client("admin") as client:
        after = client.get("/v1/managers/daniel-kim/overdue-sessions").json()
        assert "tomas-silva" not in {o["employee_id"] for o in after}
    with api.client("employee") as client:
        assert client.get("/v1/managers/daniel-kim/overdue-sessions").status_code == 403


# --- iCalendar -----------------------------------------------------------------------------------------------------


def parse_ics(text: str) -> list[dict[str, tuple[dict[str, str], str]]]:
    """A small RFC 5545 reader for the tests: checks line ends and lengths, unfolds, unescapes, returns VEVENTs."""
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")  # CRLF only
    physical = text[:-2].split("\r\n")
    assert all(len(line.encode("utf-8")) <= MAX_OCTETS for line in physical)
    logical: list[str] = []
    for line in physical:
        if line.startswith(" "):
            logical[-1] += line[1:]
        else:
            logical.append(line)
    assert logical[0] == "BEGIN:VCALENDAR" and logical[-1] == "END:VCALENDAR" and "VERSION:2.0" in logical
    events, current = [], None
    for line in logical[1:-1]:
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            events.append(current)
            current = None
        elif current is not None:
            head, value = line.split(":", 1)
            name, *params = head.split(";")
            unescaped, i = [], 0
            while i < len(value):
                if value[i] == "\\":
                    unescaped.append({"n": "\n", "N": "\n"}.get(value[i + 1], value[i + 1]))
                    i += 2
                else:
                    unescaped.append(value[i])
                    i += 1
            current[name] = (dict(p.split("=", 1) for p in params), "".join(unescaped))
    assert current is None
    for event in events:
        assert {"UID", "DTSTAMP", "DTSTART", "SUMMARY"} <= set(event)
        assert event["DTSTART"][0] == {"VALUE": "DATE"} and len(event["DTSTART"][1]) == 8
        assert event["DTSTAMP"][1].endswith("Z")
    return events


def test_fold_never_splits_a_character() -> None:
    line = "SUMMARY:" + "é" * 100 + "漢字" * 30
    folded = fold(line)
    parts = folded.split("\r\n")
    assert all(len(p.encode("utf-8")) <= MAX_OCTETS for p in parts) and len(parts) > 2
    assert parts[0] + "".join(p[1:] for p in parts[1:]) == line
    assert fold("SHORT:x") == "SHORT:x"


def test_render_escapes_text() -> None:
    text = render([Event(uid="u1@x", day=date(2026, 5, 4), summary="a, b; c\\d", description="one\ntwo")],
                  name="N")
    [event] = parse_ics(text)
    assert "SUMMARY:a\\, b\\; c\\\\d" in text and "DESCRIPTION:one\\ntwo" in text
    assert event["SUMMARY"][1] == "a, b; c\\d" and event["DESCRIPTION"][1] == "one\ntwo"
    assert event["DTSTART"][1] == "20260504" and event["DTEND"][1] == "20260505"


def test_calendar_feed_has_sessions_check_ins_and_commitments(api, store, engine) -> None:  # noqa: ANN001
    from coach.growth.service import development_map

    dev_map = development_map(engine, "software-engineer-ii", aspiration="senior engineer", horizon_months=6,
                              employee="mei-chen")
    stored = store.save_map("mei-chen", "daniel-kim", dev_map.model_dump(mode="json"))
    action = ("Pair with Ravi on the search service, document the indexing pipeline; then present it at the "
              "Thursday guild — «Schöne Grüße» included\nsecond line")
    cid = _tracked(store, "mei-chen", action, TODAY + timedelta(days=9))
    with api.client("manager") as client:
        put = client.put("/v1/employees/mei-chen/cadence", json={"kind": "twice-a-year"})
        assert put.status_code == 200
        assert put.json()["next_session"] == add_months(TODAY - timedelta(days=21), 6).isoformat()  # from the notes
        response = client.get("/v1/people/mei-chen/calendar.ics")
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("text/calendar")
        events = parse_ics(response.text)
        uids = [e["UID"][1] for e in events]
        assert len(uids) == len(set(uids))
        by_uid = {e["UID"][1]: e for e in events}
        session = by_uid["session-mei-chen@coach.invalid"]
        assert session["SUMMARY"][1] == "Career conversation with Daniel Kim"
        assert session["DTSTART"][1] == put.json()["next_session"].replace("-", "")
        check_ins = [e for u, e in by_uid.items() if u.startswith(f"checkin-{stored.id}-")]
        assert [e["DTSTART"][1] for e in check_ins] == [c.date.strftime("%Y%m%d") for c in dev_map.check_ins]
        due = by_uid[f"commitment-{cid}@coach.invalid"]
        assert due["DTSTART"][1] == (TODAY + timedelta(days=9)).strftime("%Y%m%d")
        assert due["SUMMARY"][1] == "Due: " + " ".join(action.split())[:120] + "…"
        # The manager's own feed has the session with each report whose pair has a cadence.
        own = parse_ics(client.get("/v1/people/daniel-kim/calendar.ics").text)
        assert "Career conversation with Mei Chen" in {e["SUMMARY"][1] for e in own}
    with api.client("other_employee") as client:
        assert client.get("/v1/people/mei-chen/calendar.ics").status_code == 403
    with api.client() as client:
        assert client.get("/v1/people/mei-chen/calendar.ics").status_code == 401
    with api.client("admin") as client:
        assert client.get("/v1/people/nobody/calendar.ics").status_code == 404


# --- webhooks -------------------------------------------------------------------------------------------------


class _Receiver(BaseHTTPRequestHandler):
    """Checks the signature; answers 500 to the first `fail_first` requests (or to all with fail_first=-1)."""

    def do_POST(self) -> None:  # noqa: N802
        body = self.rfile.read(int(self.headers["Content-Length"]))
        server = self.server
        ok = verify(SECRET, body, self.headers[SIGNATURE_HEADER])
        server.seen.append({"body": json.loads(body), "signed": ok, "timestamp": self.headers[TIMESTAMP_HEADER]})
        status = 500 if server.fail_first < 0 or len(server.seen) <= server.fail_first else 204
        if not ok:
            status = 401
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def receiver(fail_first: int) -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    server.seen, server.fail_first = [], fail_first
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture()
def fresh_store(tmp_path: Path) -> Iterator[Store]:
    built = Store(f"sqlite:///{tmp_path / 'hooks.db'}")
    built.migrate()
    built.seed_people(PROJECT_ROOT / "examples" / "people.yaml")
    yield built
    built.close()


def _hook_settings(url: str, tmp_path: Path, **extra: object) -> Settings:
    return Settings(data_dir=tmp_path, webhook_url=url, webhook_secret=SecretStr(SECRET), webhook_backoff_s=0.01,
                    _env_file=None, **extra)


def test_overdue_commitment_is_sent_once_signed_after_a_retry(fresh_store: Store, tmp_path: Path) -> None:
    cid = _tracked(fresh_store, "lena-fischer", "Write the caching design doc", TODAY - timedelta(days=3))
    _tracked(fresh_store, "lena-fischer", "Not due yet", TODAY + timedelta(days=3))
    with receiver(fail_first=1) as server:
        settings = _hook_settings(f"http://127.0.0.1:{server.server_port}/hooks", tmp_path)
        report = overdue_sweep(fresh_store, settings, TODAY)
        assert (report.overdue, report.delivered, report.failed, report.skipped) == (1, 1, 0, 0)
        [delivery] = report.deliveries
        assert delivery.status == "delivered" and delivery.attempts == 2 and delivery.response_status == 204
        assert len(server.seen) == 2 and all(s["signed"] for s in server.seen)
        body = server.seen[-1]["body"]
        assert body["event"] == "commitment.overdue" and body["delivery_id"] == delivery.id
        assert body["commitment"]["id"] == cid and body["commitment"]["days_overdue"] == 3
        assert body["employee"] == {"id": "lena-fischer", "name": "Lena Fischer", "manager_id": "daniel-kim"}
        assert str(body["timestamp"]) == server.seen[-1]["timestamp"]
        again = overdue_sweep(fresh_store, settings, TODAY)
        later = overdue_sweep(fresh_store, settings, TODAY + timedelta(days=1))
        assert (again.skipped, later.skipped, again.deliveries, later.deliveries) == (1, 1, [], [])
        assert len(server.seen) == 2  # never sent twice
    assert [d.status for d in rows.list_deliveries(fresh_store, cid)] == ["delivered"]


def test_failed_delivery_is_retried_once_a_day(fresh_store: Store, tmp_path: Path) -> None:
    cid = _tracked(fresh_store, "tomas-silva", "Book the AWS course", TODAY - timedelta(days=1))
    with receiver(fail_first=-1) as server:
        settings = _hook_settings(f"http://127.0.0.1:{server.server_port}/", tmp_path, webhook_max_attempts=3)
        first = overdue_sweep(fresh_store, settings, TODAY)
        assert first.failed == 1 and first.deliveries[0].attempts == 3 and first.deliveries[0].response_status == 500
        assert len(server.seen) == 3
        assert overdue_sweep(fresh_store, settings, TODAY).skipped == 1 and len(server.seen) == 3  # once a day
        server.fail_first = 0  # the receiver is fixed
        next_day = overdue_sweep(fresh_store, settings, TODAY + timedelta(days=1))
        assert next_day.delivered == 1 and len(server.seen) == 4
    [stored] = rows.list_deliveries(fresh_store, cid)
    assert stored.status == "delivered" and stored.attempts == 4 and stored.error is None


def test_connection_errors_and_4xx(fresh_store: Store, tmp_path: Path) -> None:
    _tracked(fresh_store, "mei-chen", "Draft the RFC", TODAY - timedelta(days=5))
    refused = overdue_sweep(fresh_store, _hook_settings(f"http://127.0.0.1:{free_port()}/", tmp_path), TODAY)
    [delivery] = refused.deliveries
    assert delivery.status == "failed" and delivery.attempts == 3 and "ConnectError" in delivery.error
    assert delivery.response_status is None
    with receiver(fail_first=0) as server:  # a wrong secret: the receiver answers 401, which is not retried
        wrong = _hook_settings(f"http://127.0.0.1:{server.server_port}/", tmp_path).model_copy(
            update={"webhook_secret": SecretStr("another-secret-of-16+")})
        report = overdue_sweep(fresh_store, wrong, TODAY + timedelta(days=1))
        # One more attempt (4 over both sweeps): a 4xx is not retried.
        assert report.deliveries[0].attempts == 4 and report.deliveries[0].response_status == 401
        assert len(server.seen) == 1 and server.seen[0]["signed"] is False


def test_webhook_settings_are_checked(fresh_store: Store, tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="WEBHOOK_SECRET"):
        Settings(webhook_url="https://hooks.example.com/coach", _env_file=None)
    with pytest.raises(ValidationError, match="WEBHOOK_SECRET"):
        Settings(webhook_url="https://hooks.example.com/coach", webhook_secret=SecretStr("short"), _env_file=None)
    with pytest.raises(ValidationError):
        Settings(webhook_url="ftp://x", webhook_secret=SecretStr(SECRET), _env_file=None)
    from coach.errors import InvalidInput

    with pytest.raises(InvalidInput, match="COACH_WEBHOOK_URL"):
        overdue_sweep(fresh_store, Settings(data_dir=tmp_path, _env_file=None), TODAY)


def test_cli_sweep(cli_env: Path, engine, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001, F811
    from coach.settings import get_settings

    runner = EngineRunner(engine)
    assert runner.invoke(app, ["setup-local"]).exit_code == 0
    store = Store(get_settings().resolved_database_url)
    _tracked(store, "lena-fischer", "Write the caching design doc", TODAY - timedelta(days=2))
    unset = runner.invoke(app, ["webhooks", "sweep", "--json"])
    assert unset.exit_code == 2 and json.loads(unset.stderr)["field"] == "webhook_url"
    with receiver(fail_first=0) as server:
        monkeypatch.setenv("COACH_WEBHOOK_URL", f"http://127.0.0.1:{server.server_port}/")
        monkeypatch.setenv("COACH_WEBHOOK_SECRET", SECRET)
        get_settings.cache_clear()
        result = runner.invoke(app, ["webhooks", "sweep", "--json"])
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)["delivered"] == 1 and len(server.seen) == 1
        text = runner.invoke(app, ["webhooks", "sweep"])
        assert text.exit_code == 0 and "1 skipped" in text.stdout
        bad = runner.invoke(app, ["webhooks", "sweep", "--today", "someday", "--json"])
        assert bad.exit_code == 2 and json.loads(bad.stderr)["field"] == "today"
    store.close()
