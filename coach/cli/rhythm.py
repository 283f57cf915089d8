"""`coach reflect prompts|save` and `coach webhooks sweep`: reflection before a session, overdue-commitment webhooks."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any, Optional

import typer
from pydantic import TypeAdapter, ValidationError

from coach.cli.common import JsonOpt, app, emit, engine, fail, invalid
from coach.errors import CoachError
from coach.settings import get_settings

reflect_app = typer.Typer(help="Reflection before a career conversation (the employee's own).", no_args_is_help=True)
webhooks_app = typer.Typer(help="Webhooks for commitments that become overdue.", no_args_is_help=True)
app.add_typer(reflect_app, name="reflect")
app.add_typer(webhooks_app, name="webhooks")
MAX_ANSWERS_BYTES = 256_000


def _store(settings):  # noqa: ANN001, ANN202 - lazy import keeps `coach --help` fast
    from coach.cli.admin import _store as open_store

    return open_store(settings)


def _admin():  # noqa: ANN202
    from coach.store.auth import Principal

    return Principal(role="admin")  # the CLI runs on the server, as an administrator


def _answers(path: Path) -> list[Any]:
    """The reflection items in a JSON file: a list of {prompt, answer, prompt_id?, stage?} or {"items": [...]}."""
    from coach.store.rhythm import ReflectionItem

    try:
        if path.stat().st_size > MAX_ANSWERS_BYTES:
            raise invalid("answers", f"{path} is larger than {MAX_ANSWERS_BYTES} bytes")
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise invalid("answers", f"cannot read {path} as JSON: {exc}") from exc
    if isinstance(data, dict):
        data = data.get("items")
    try:
        return TypeAdapter(list[ReflectionItem]).validate_python(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = [str(p) for p in err["loc"]]
        if not loc:
            raise invalid("answers", f"{path}: expected a list of {{prompt, answer}} or {{\"items\": [...]}}") from exc
        where = f"items[{loc[0]}]" + "".join(f".{p}" for p in loc[1:])
        raise invalid("answers", f"{path}: {where}: {err['msg']}") from exc


@reflect_app.command("prompts")
def reflect_prompts(ctx: typer.Context, person: str = typer.Option(..., help="The employee's person id."),
                    count: int = typer.Option(5, help="How many prompts, 2 to 8."), as_json: bool = JsonOpt) -> None:
    """Prompts for the employee to reflect on before the session (their role, latest map, open commitments)."""
    from coach.questions.reflection import reflection_prompts

    try:
        settings = get_settings()
        result = reflection_prompts(engine(ctx, settings), _store(settings), _admin(), person, count)
    except CoachError as exc:
        fail(exc, as_json)
    lines = [f"{i}. [{p.stage}] {p.text}" for i, p in enumerate(result.prompts, 1)]
    emit(result.model_dump(mode="json"), as_json, "\n".join(lines))


@reflect_app.command("save")
def reflect_save(ctx: typer.Context, person: str = typer.Option(..., help="The employee's person id."),
                 answers: Path = typer.Option(..., help="JSON: [{prompt, answer, prompt_id?, stage?}, ...]."),  # noqa: B008
                 share: bool = typer.Option(False, "--share", help="Share with the employee's managers at once."),
                 as_json: bool = JsonOpt) -> None:
    """Store the employee's answers as their reflection (private unless --share)."""
    from coach.questions.reflection import save_reflection

    try:
        items = _answers(answers)
        record = save_reflection(_store(get_settings()), _admin(), person, items, share=share)
    except CoachError as exc:
        fail(exc, as_json)
    emit(record.model_dump(mode="json"), as_json,
         f"saved reflection {record.id} for {person} ({len(record.items)} answers, "
         f"{'shared with their managers' if record.shared else 'private'})")


@webhooks_app.command("sweep")
def webhooks_sweep(ctx: typer.Context,
                   today: Optional[str] = typer.Option(None, help="Sweep as of this date, YYYY-MM-DD (default today)."),
                   as_json: bool = JsonOpt) -> None:
    """POST one signed event per commitment that became overdue (never twice; failures retried once a day)."""
    from coach.rhythm.webhooks import overdue_sweep

    try:
        try:
            day = date.fromisoformat(today) if today else date.today()
        except ValueError:
            raise invalid("today", f"'{today}' is not a date (YYYY-MM-DD)") from None
        settings = get_settings()
        report = overdue_sweep(_store(settings), settings, day)
    except CoachError as exc:
        fail(exc, as_json)
    lines = [f"{report.overdue} overdue, {report.delivered} delivered, {report.failed} failed, "
             f"{report.skipped} skipped (sent before or tried today)"]
    lines += [f"  {d.status}: commitment {d.commitment_id} due {d.due} ({d.attempts} attempt{'s' * (d.attempts != 1)}"
              f"{', ' + d.error if d.error else ''})" for d in report.deliveries]
    emit(report.model_dump(mode="json"), as_json, "\n".join(lines))
    if report.failed:
        raise typer.Exit(1)
