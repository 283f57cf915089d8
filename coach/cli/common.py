"""What every `coach` command shares: the Typer apps, output helpers and the engine from the context object."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import typer

from coach.errors import CoachError, InvalidInput
from coach.settings import Settings, get_settings

if TYPE_CHECKING:
    from coach.engine import Engine

app = typer.Typer(help="Coach: career-conversation coach (offline, LLM optional).", no_args_is_help=True,
                  pretty_exceptions_enable=False)
knowledge_app = typer.Typer(help="Validate the knowledge directory.", no_args_is_help=True)
import_app = typer.Typer(help="Import career frameworks into the knowledge format.", no_args_is_help=True)
app.add_typer(knowledge_app, name="knowledge")
app.add_typer(import_app, name="import")

JsonOpt = typer.Option(False, "--json", help="Print JSON instead of text.")


@dataclass
class CliContext:
    """The context object every command receives: it builds the engine once, or holds the one a caller passed."""

    preset: Engine | None = None

    def engine(self, settings: Settings | None = None) -> Engine:
        """The preset engine, or one built on first use (a command runs on one set of settings)."""
        if self.preset is None:
            from coach.engine import Engine  # imported late: loading the model is the slow part of a CLI call

            self.preset = Engine(settings or get_settings())
        return self.preset


@app.callback()
def _root(ctx: typer.Context) -> None:
    """Coach: career-conversation coach (offline, LLM optional)."""
    if not isinstance(ctx.obj, CliContext):
        ctx.obj = CliContext(preset=ctx.obj)  # a test may pass an Engine as obj


def settings_of(ctx: typer.Context) -> Settings:
    """The settings of this invocation: those of an engine a caller passed, else the process-wide ones."""
    root = ctx.find_root()
    preset = root.obj.preset if isinstance(root.obj, CliContext) else root.obj
    return preset.settings if preset is not None else get_settings()


def engine(ctx: typer.Context, settings: Settings | None = None) -> Engine:
    """The engine of this invocation (the root context object holds it)."""
    root = ctx.find_root()
    if not isinstance(root.obj, CliContext):
        root.obj = CliContext(preset=root.obj)
    return root.obj.engine(settings)


def emit(payload: Any, as_json: bool, text: str | None = None) -> None:
    """Print JSON (sorted, UTF-8) or the human text."""
    if as_json:
        typer.echo(json.dumps(payload, indent=2, ensure_ascii=False, default=str))
    else:
        typer.echo(text if text is not None else json.dumps(payload, indent=2, ensure_ascii=False, default=str))


def fail(exc: CoachError, as_json: bool = False) -> None:
    """A clear message on stderr (or a JSON error) and a non-zero exit."""
    if as_json:
        typer.echo(json.dumps({"error": type(exc).__name__, "field": exc.field, "detail": exc.message, **exc.details}),
                   err=True)
    else:
        typer.echo(f"error: {exc.message}", err=True)
    raise typer.Exit(2 if exc.status_code < 500 else 1)


def invalid(field_name: str, message: str) -> CoachError:
    """An InvalidInput naming the option."""
    return InvalidInput(f"{field_name}: {message}", field=field_name)
