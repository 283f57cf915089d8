"""`coach questions`, `coach paths`, `coach map`, `coach summarize`: the pipelines on the command line."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Optional

import typer
import yaml
from pydantic import ValidationError

from coach.cli.common import JsonOpt, app, emit, engine, fail
from coach.errors import CoachError, InvalidInput

if TYPE_CHECKING:
    from coach.followup.extract import Decision


def _date(value: str, field: str) -> date:
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise InvalidInput(f"{field}: expected YYYY-MM-DD, got '{value}'", field=field) from None


def _ratings(path: Optional[Path]) -> dict | None:
    if path is None:
        return None
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise InvalidInput(f"ratings: cannot read {path}: {exc}", field="ratings") from exc
    if not isinstance(data, dict):
        raise InvalidInput("ratings: expected a mapping of competency id to level or {self, manager}", field="ratings")
    return data.get("ratings", data)


def _validation_failure(exc: ValidationError, as_json: bool) -> None:
    err = exc.errors()[0]
    field = ".".join(str(p) for p in err["loc"]) or "input"
    fail(InvalidInput(f"{field}: {err['msg']}", field=field), as_json)


@app.command("questions")
def questions_cmd(ctx: typer.Context, role: str = typer.Option(..., help="Current role: id, title or free text."),
                  aspiration: str = typer.Option("", help="The employee's aspiration in their words."),
                  context: str = typer.Option("", help="Recent context, e.g. the last session's notes."),
                  name: str = typer.Option("", help="The employee's name."),
                  target: Optional[str] = typer.Option(None, "--target", help="Target role, if known."),
                  type_: str = typer.Option("career-check-in", "--type",
                                            help="career-check-in | performance-review | quarterly-reflection | new-in-role"),
                  count: int = typer.Option(8, help="3 to 15."),
                  ratings: Optional[Path] = typer.Option(None, help="YAML/JSON file of competency ratings."),
                  as_json: bool = JsonOpt) -> None:
    """Suggest open, non-leading questions for a career conversation."""
    from coach.questions.service import questions
    from coach.questions.arc import QuestionRequest

    try:
        request = QuestionRequest(name=name, role=role, aspiration=aspiration, context=context, target_role=target,
                                  conversation_type=type_, count=count, ratings=_ratings(ratings))
        result = questions(engine(ctx), request)
    except ValidationError as exc:
        _validation_failure(exc, as_json)
    except CoachError as exc:
        fail(exc, as_json)
    lines = [f"{i}. [{q.stage}] {q.text}\n   why: {q.rationale}" for i, q in enumerate(result.questions, 1)]
    emit(result.model_dump(mode="json"), as_json, "\n".join(lines))


@app.command("paths")
def paths_cmd(ctx: typer.Context, role: str = typer.Option(..., help="Current role."), interests: str = typer.Option(""),
              limit: int = typer.Option(6, min=1, max=20), ratings: Optional[Path] = typer.Option(None),
              as_json: bool = JsonOpt) -> None:
    """Ranked career paths from a role: up, lateral, expert IC and management."""
    from coach.growth.paths import explore_paths

    try:
        result = explore_paths(engine(ctx), role, interests, _ratings(ratings), limit=limit)
    except ValidationError as exc:
        _validation_failure(exc, as_json)
    except CoachError as exc:
        fail(exc, as_json)
    lines = [f"{i}. [{p.category}] {' -> '.join(s.role.title for s in p.steps)} (~{p.total_months:.0f} months)\n   {p.explanation}"
             for i, p in enumerate(result.paths, 1)]
    if result.clarify:
        lines.insert(0, f"First ask: {result.clarify}\n")
    emit(result.model_dump(mode="json"), as_json, "\n".join(lines))


@app.command("map")
def map_cmd(ctx: typer.Context, role: str = typer.Option(..., help="Current role."), aspiration: str = typer.Option(""),
            target: Optional[str] = typer.Option(None, "--target"), ratings: Optional[Path] = typer.Option(None),
            horizon_months: int = typer.Option(12, "--horizon-months"),
            start: Optional[str] = typer.Option(None, help="YYYY-MM-DD (default: today)."),
            as_json: bool = JsonOpt) -> None:
    """A development map: target role, prioritised gaps, dated actions, check-ins."""
    from coach.growth.service import development_map

    try:
        result = development_map(engine(ctx), role, aspiration=aspiration, target_role=target,
                                       ratings=_ratings(ratings), horizon_months=horizon_months,
                                       start=_date(start, "start") if start else None)
    except ValidationError as exc:
        _validation_failure(exc, as_json)
    except CoachError as exc:
        fail(exc, as_json)
    emit(result.model_dump(mode="json"), as_json, result.markdown)


@app.command("summarize")
def summarize_cmd(ctx: typer.Context, notes_file: Path = typer.Argument(..., help="The meeting notes, as text."),
                  date_: str = typer.Option(..., "--date", help="Meeting date, YYYY-MM-DD."),
                  manager: str = typer.Option(..., help="The manager's name as used in the notes."),
                  employee: str = typer.Option(..., help="The employee's name as used in the notes."),
                  other: list[str] = typer.Option([], help="Other participants."),
                  author: str = typer.Option("manager", help="Who wrote the notes: manager, employee or shared "
                                                             "(whom \"I\" means)."),
                  email: bool = typer.Option(False, help="Print the e-mail draft instead of Markdown."),
                  explain: bool = typer.Option(False, "--explain",
                                               help="Also print each segment's fate: kept as commitment N, or "
                                                    "dropped and why."),
                  llm: bool = typer.Option(True, "--llm/--no-llm", help="With an LLM configured, wait for its "
                                           "refinement (minutes with a local model); --no-llm: rules only, at once."),
                  as_json: bool = JsonOpt) -> None:
    """Draft the follow-up summary of a career conversation from its notes (the manager's by default)."""
    from coach.followup.service import rules_summary, summary, validate_notes
    from coach.followup.summaries import Participant, draft_summary

    try:
        try:
            raw = notes_file.read_bytes()
            notes = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise InvalidInput("notes: the file is not UTF-8 text", field="notes") from None
        except OSError as exc:
            raise InvalidInput(f"notes: cannot read {notes_file}: {exc.strerror}", field="notes") from None
        participants = [Participant(name=manager, role="manager"), Participant(name=employee, role="employee"),
                        *(Participant(name=o, role="other") for o in other)]
        meeting = _date(date_, "date")
        if author not in AUTHORS:
            raise InvalidInput(f"author: must be one of {', '.join(AUTHORS)}, got '{author}'", field="author")
        settings_engine = engine(ctx)
        validate_notes(notes, meeting, participants, max_chars=settings_engine.settings.max_notes_chars)
        if llm:
            result = summary(settings_engine, notes, meeting, participants, author=author)  # type: ignore[arg-type]
        else:
            result = rules_summary(settings_engine, notes, meeting, participants, author=author)  # type: ignore[arg-type]
        decisions: list[Decision] = []
        if explain:  # the rules engine's reading of the notes, segment by segment
            draft_summary(notes, meeting, participants, decisions=decisions, author=author)  # type: ignore[arg-type]
    except ValidationError as exc:
        _validation_failure(exc, as_json)
    except CoachError as exc:
        fail(exc, as_json)
    data = result.model_dump(mode="json")
    text = result.email if email else result.markdown
    if explain:
        data["explain"] = [vars(d) for d in decisions]
        text += "\n\n## How the notes were read\n\n" + "\n".join(_fate(d) for d in decisions)
    emit(data, as_json, text)


AUTHORS = ("manager", "employee", "shared")


def _fate(decision: Decision) -> str:
    """One line of `coach summarize --explain`: "kept as commitment 2" or "dropped: hedged", and the quote."""
    action = f" -> {decision.action}" if decision.action else ""
    fate = f"kept as {decision.reason}" if decision.kept else f"dropped: {decision.reason}"
    return f"- {fate}: \"{decision.evidence}\"{action}"
