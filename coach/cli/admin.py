"""`coach token create`, `coach setup-local`, `coach doctor`: operating the service."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, timezone
from typing import Optional

import typer
from pydantic import SecretStr

from coach.cli.common import JsonOpt, app, emit, engine, fail
from coach.errors import CoachError, InvalidInput
from coach.settings import PROJECT_ROOT, Settings, get_settings

token_app = typer.Typer(help="API tokens.", no_args_is_help=True)
notes_app = typer.Typer(help="Stored meeting notes.", no_args_is_help=True)
app.add_typer(token_app, name="token")
app.add_typer(notes_app, name="notes")
_DURATION = re.compile(r"^(\d{1,5})([hdw])$")
_SECRET_SUFFIXES = ("_key", "_token", "_password", "_secret")
SAMPLE_PEOPLE = PROJECT_ROOT / "examples" / "people.yaml"


def _store(settings: Settings):  # noqa: ANN202 - lazy import keeps `coach --help` fast
    from coach.store.store import Store

    store = Store(settings.resolved_database_url)
    store.migrate()
    return store


def parse_expiry(value: str | None, *, now: datetime | None = None) -> datetime | None:
    """`30d`, `12h`, `2w` from now, or an ISO date (expires at the start of that day, UTC); None: never."""
    if value is None:
        return None
    now = now or datetime.now(timezone.utc)
    match = _DURATION.match(value.strip())
    if match:
        amount, unit = int(match.group(1)), match.group(2)
        if amount == 0:
            raise InvalidInput("expires: must be at least 1", field="expires")
        return now + {"h": timedelta(hours=amount), "d": timedelta(days=amount), "w": timedelta(weeks=amount)}[unit]
    try:
        when = datetime.combine(date.fromisoformat(value.strip()), time(), tzinfo=timezone.utc)
    except ValueError:
        raise InvalidInput(f"expires: '{value}' is neither a duration (30d, 12h, 2w) nor a date (YYYY-MM-DD)",
                           field="expires") from None
    if when <= now:
        raise InvalidInput(f"expires: {value} is in the past", field="expires")
    return when


@token_app.command("create")
def token_create(role: str = typer.Option(..., help="admin | manager | employee"),
                 person: Optional[str] = typer.Option(None, help="Person id (required for manager and employee)."),
                 label: str = typer.Option("", help="What the token is for."),
                 expires: Optional[str] = typer.Option(None, help="30d, 12h, 2w or a date YYYY-MM-DD; default never."),
                 as_json: bool = JsonOpt) -> None:
    """Create an API token; it is printed once and stored only as a hash."""
    try:
        expires_at = parse_expiry(expires)
        if role not in ("admin", "manager", "employee"):
            raise InvalidInput(f"role: must be admin, manager or employee, got '{role}'", field="role")
        if role != "admin" and not person:
            raise InvalidInput("person: required for manager and employee tokens", field="person")
        store = _store(get_settings())
        if person and store.get_person(person) is None:
            raise InvalidInput(f"person: no person '{person}' in the store (seed people first)", field="person")
        token = store.create_token(role, person, label, expires_at=expires_at)
    except CoachError as exc:
        fail(exc, as_json)
    emit({"token": token, "role": role, "person": person,
          "expires_at": expires_at.isoformat() if expires_at else None}, as_json, token)


@token_app.command("list")
def token_list(as_json: bool = JsonOpt) -> None:
    """Every token's id, role, person, label, created, expiry, last use and revocation (never the secret)."""
    tokens = _store(get_settings()).list_tokens()
    now = datetime.now(timezone.utc)
    rows = []
    for t in tokens:
        state = ("revoked" if t.revoked_at else "expired" if t.expires_at and t.expires_at <= now else "active")
        rows.append({"id": t.id, "role": t.principal_role, "person": t.person_id, "label": t.label, "state": state,
                     "created_at": t.created_at.isoformat(),
                     "expires_at": t.expires_at.isoformat() if t.expires_at else None,
                     "last_used_at": t.last_used_at.isoformat() if t.last_used_at else None,
                     "revoked_at": t.revoked_at.isoformat() if t.revoked_at else None})
    lines = [f"{'id':>4}  {'role':<8} {'person':<20} {'state':<8} {'last used':<20} {'expires':<20} label"]
    lines += [f"{r['id']:>4}  {r['role']:<8} {r['person'] or '-':<20} {r['state']:<8} "
              f"{(r['last_used_at'] or 'never')[:19]:<20} {(r['expires_at'] or 'never')[:19]:<20} {r['label']}"
              for r in rows]
    emit(rows, as_json, "\n".join(lines))


@token_app.command("revoke")
def token_revoke(token_id: int = typer.Argument(..., help="The id from `coach token list`."),
                 as_json: bool = JsonOpt) -> None:
    """Revoke a token by id; requests with it get 401 from then on."""
    try:
        _store(get_settings()).revoke_token(token_id)
    except CoachError as exc:
        fail(exc, as_json)
    emit({"revoked": token_id}, as_json, f"token {token_id} revoked")


def _signin_url(settings: Settings, code: str) -> str:
    return f"http://{settings.host}:{settings.port}/signin/link?code={code}"


@app.command("signin-link")
def signin_link(role: str = typer.Option(..., help="admin | manager | employee"),
                person: Optional[str] = typer.Option(None, help="Person id (required for manager and employee)."),
                minutes: Optional[int] = typer.Option(None, help="How long the link works (default "
                                                                 "COACH_SIGNIN_LINK_MINUTES, 60)."),
                as_json: bool = JsonOpt) -> None:
    """Print a one-time link that signs a person in to the web app (used once, then it stops working)."""
    from coach.store.web import create_signin_code

    settings = get_settings()
    try:
        valid = minutes if minutes is not None else settings.signin_link_minutes
        if not 1 <= valid <= 7 * 24 * 60:
            raise InvalidInput("minutes: from 1 to 10080 (a week)", field="minutes")
        code = create_signin_code(_store(settings), role, person, valid_for=timedelta(minutes=valid))
    except CoachError as exc:
        fail(exc, as_json)
    url = _signin_url(settings, code)
    emit({"url": url, "role": role, "person": person, "minutes": valid}, as_json, url)


@notes_app.command("retry")
def notes_retry(ctx: typer.Context, note_id: str = typer.Argument(..., help="A note id (see `coach doctor`)."),
                as_json: bool = JsonOpt) -> None:
    """Summarise stored notes again: ones that failed, or were stuck in 'received' after a crash."""
    from coach.followup.service import retry_note

    settings = get_settings()
    try:
        stored = retry_note(engine(ctx, settings), _store(settings), note_id)
    except CoachError as exc:
        fail(exc, as_json)
    emit(stored.model_dump(mode="json"), as_json,
         f"note {note_id} summarized: {len(stored.commitment_ids)} commitment(s) proposed; confirm with "
         f"POST /v1/notes/{note_id}/confirm")


@app.command("setup-local")
def setup_local() -> None:
    """Prepare a local try-out: migrate the database, seed the sample people, print an admin token."""
    settings = get_settings()
    store = _store(settings)
    people_file = settings.seed_people_file or SAMPLE_PEOPLE
    if people_file.exists():
        store.seed_people(people_file)
    token_file = settings.data_dir / "local-admin-token"
    token = token_file.read_text().strip() if token_file.exists() else ""
    if not token or store.authenticate(token) is None:
        token = store.create_token("admin", None, "local admin (make run)")
        token_file.write_text(token + "\n")
        token_file.chmod(0o600)
    url = f"http://{settings.host}:{settings.port}"
    typer.echo(f"""
Coach is starting on {url}
  web app:      open a sign-in link below (each works once, for {settings.signin_link_minutes} minutes; make more
                with `coach signin-link --role manager --person ID`)
{_demo_links(settings, store)}
  API docs:     {url}/docs
  health:       {url}/health
  admin token:  {token}   (also in {token_file}; paste it at {url}/signin)
  try:          curl -s -H "Authorization: Bearer {token}" "{url}/v1/roles/data-analyst/paths?interests=customers"
""")


def _demo_links(settings: Settings, store) -> str:  # noqa: ANN001
    """Sign-in links for the admin and, with the sample people, a manager and one of their reports."""
    from coach.store.web import create_signin_code

    valid = timedelta(minutes=settings.signin_link_minutes)
    people = [("admin", None, "as admin")]
    manager = store.get_person("daniel-kim")
    if manager is not None:
        people.append(("manager", manager.id, f"as {manager.name} (manager)"))
        reports = sorted(store.reports_of(manager.id, transitive=False))
        if reports:
            report = store.get_person(reports[0])
            people.append(("employee", report.id, f"as {report.name} (employee)"))
    return "\n".join(f"    {label:<28} {_signin_url(settings, create_signin_code(store, role, person, valid_for=valid))}"
                     for role, person, label in people)


def _mask(name: str, value: object) -> str:
    """Secrets (SecretStr, or names ending in _key/_token/_password/_secret) masked; numbers and the rest as is."""
    if value is None:
        return "-"
    if isinstance(value, SecretStr) or (isinstance(value, str) and name.endswith(_SECRET_SUFFIXES)):
        text = value.get_secret_value() if isinstance(value, SecretStr) else value
        return "****" + text[-4:] if len(text) > 8 else "****"
    return str(value)


@app.command("doctor")
def doctor(ctx: typer.Context, as_json: bool = JsonOpt) -> None:
    """Print the active configuration (secrets masked) and probe Chroma, the database and the LLM."""
    settings = get_settings()
    config = {name: _mask(name, getattr(settings, name)) for name in Settings.model_fields}
    checks: dict[str, dict[str, str]] = {}

    def probe(name: str, run) -> None:  # noqa: ANN001
        try:
            checks[name] = {"status": "ok", "detail": run()}
        except CoachError as exc:
            checks[name] = {"status": "fail", "detail": exc.message}
        except Exception as exc:  # doctor reports every failure instead of stopping at the first
            checks[name] = {"status": "fail", "detail": f"{type(exc).__name__}: {exc}"}

    probe("knowledge", lambda: f"{len(engine(ctx, settings).knowledge.roles)} roles in {settings.knowledge_dir}")
    probe("chroma", lambda: _chroma(settings))
    probe("database", lambda: _database(settings))
    probe("llm", lambda: _llm(settings))
    probe("notes", lambda: _stuck_notes(settings))
    if checks["notes"]["status"] == "fail" and checks["notes"]["detail"].startswith("notes:"):
        checks["notes"]["status"] = "warn"  # the service runs; these notes need a retry
    lines = [f"{k:<28} {v}" for k, v in config.items()] + [""]
    lines += [f"{name:<10} {c['status']:<5} {c['detail']}" for name, c in checks.items()]
    emit({"config": config, "checks": checks}, as_json, "\n".join(lines))
    if any(c["status"] == "fail" for name, c in checks.items() if name != "llm" or settings.llm_provider != "none"):
        raise typer.Exit(1)


def _chroma(settings: Settings) -> str:
    from coach.retrieval.index import make_chroma_client

    client = make_chroma_client(settings)
    client.heartbeat()
    return f"answers ({'http' if settings.chroma_host else 'local'})"


def _database(settings: Settings) -> str:
    store = _store(settings)
    store.ping()
    return settings.resolved_database_url.split("@")[-1]


def _stuck_notes(settings: Settings) -> str:
    """Notes a crash left in 'received', and notes that failed: each needs `coach notes retry ID`."""
    store = _store(settings)
    stuck = store.stuck_notes(timedelta(minutes=settings.stuck_note_minutes))
    failed = store.failed_notes()
    if stuck or failed:
        ids = ", ".join(n.id for n in [*stuck, *failed][:10])
        raise InvalidInput(f"notes: {len(stuck)} stuck in 'received' over {settings.stuck_note_minutes} min, "
                           f"{len(failed)} failed: {ids}; run `coach notes retry ID`", field="notes")
    return "none stuck or failed"


def _llm(settings: Settings) -> str:
    from coach.llm.provider import probe_llm

    return probe_llm(settings)


