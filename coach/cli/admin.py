"""`coach token create`, `coach setup-local`, `coach doctor`: operating the service."""

from __future__ import annotations

from typing import Optional

import typer

from coach.cli.common import JsonOpt, app, emit, engine, fail
from coach.errors import CoachError, InvalidInput
from coach.settings import PROJECT_ROOT, Settings, get_settings

token_app = typer.Typer(help="API tokens.", no_args_is_help=True)
app.add_typer(token_app, name="token")
SAMPLE_PEOPLE = PROJECT_ROOT / "examples" / "people.yaml"


def _store(settings: Settings):  # noqa: ANN202 - lazy import keeps `coach --help` fast
    from coach.store.store import Store

    store = Store(settings.resolved_database_url)
    store.migrate()
    return store


@token_app.command("create")
def token_create(role: str = typer.Option(..., help="admin | manager | employee"),
                 person: Optional[str] = typer.Option(None, help="Person id (required for manager and employee)."),
                 label: str = typer.Option("", help="What the token is for."), as_json: bool = JsonOpt) -> None:
    """Create an API token; it is printed once and stored only as a hash."""
    try:
        if role not in ("admin", "manager", "employee"):
            raise InvalidInput(f"role: must be admin, manager or employee, got '{role}'", field="role")
        if role != "admin" and not person:
            raise InvalidInput("person: required for manager and employee tokens", field="person")
        store = _store(get_settings())
        if person and store.get_person(person) is None:
            raise InvalidInput(f"person: no person '{person}' in the store (seed people first)", field="person")
        token = store.create_token(role, person, label)
    except CoachError as exc:
        fail(exc, as_json)
    emit({"token": token, "role": role, "person": person}, as_json, token)


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
  API docs:     {url}/docs
  health:       {url}/health
  admin token:  {token}   (also in {token_file})
  try:          curl -s -H "Authorization: Bearer {token}" "{url}/v1/roles/data-analyst/paths?interests=customers"
""")


def _mask(name: str, value: object) -> str:
    if value is None:
        return "-"
    if "key" in name or "token" in name:
        text = value.get_secret_value() if hasattr(value, "get_secret_value") else str(value)
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


def _llm(settings: Settings) -> str:
    from coach.llm.provider import probe_llm

    return probe_llm(settings)


