"""`coach knowledge`, `coach import`, `coach index`, `coach search`, `coach eval`, `coach serve`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Optional

import typer

from coach.cli.common import JsonOpt, app, emit, engine, fail, import_app, invalid, knowledge_app, settings_of
from coach.errors import CoachError
from coach.settings import PROJECT_ROOT, get_settings

@knowledge_app.command("check")
def knowledge_check(directory: Optional[Path] = typer.Argument(None, help="Default: COACH_KNOWLEDGE_DIR."),
                    people: Optional[Path] = typer.Option(
                        None, help="People file to check opportunity contacts against. Default: "
                                   "COACH_SEED_PEOPLE_FILE, else examples/people.yaml for the sample knowledge."),
                    as_json: bool = JsonOpt) -> None:
    """Report every problem in a knowledge directory (file:line: message); exit 1 if any."""
    from coach.knowledge import check_knowledge, load_knowledge

    settings = get_settings()
    root = directory or settings.knowledge_dir
    people = people or settings.seed_people_file or _sample_people(root)
    problems = check_knowledge(root, people)
    if problems:
        emit([{"file": p.file, "line": p.line, "message": p.message} for p in problems], as_json,
             "\n".join(str(p) for p in problems) + f"\n{len(problems)} problem(s) in {root}")
        raise typer.Exit(1)
    k = load_knowledge(root, people)
    counts = {"competencies": len(k.competencies), "families": len(k.families), "roles": len(k.roles),
              "job_families": len(k.job_families), "resources": len(k.resources), "questions": len(k.questions),
              "opportunities": len(k.opportunities)}
    emit({"ok": True, "directory": str(root), **counts}, as_json,
         f"ok: {root}: " + ", ".join(f"{v} {n}" for n, v in counts.items()))


def _sample_people(root: Path) -> Path | None:
    """examples/people.yaml when checking the sample knowledge (its contacts are the sample people)."""
    sample = PROJECT_ROOT / "examples" / "people.yaml"
    return sample if Path(root).resolve() == (PROJECT_ROOT / "knowledge").resolve() and sample.exists() else None


@import_app.command("ladder")
def import_ladder(src_dir: Path, out_dir: Path, as_json: bool = JsonOpt) -> None:
    """Import a Markdown career ladder (roles, numbered levels, behaviours per dimension)."""
    from coach.importers.ladder_md import import_markdown_ladder

    _report_import(lambda: import_markdown_ladder(src_dir, out_dir), out_dir, as_json)


@import_app.command("ladder-csv")
def import_ladder_csv(csv_file: Path, out_dir: Path, as_json: bool = JsonOpt) -> None:
    """Import a spreadsheet export: path, job title, level, competency, skill, key behaviour."""
    from coach.importers.ladder_csv import import_csv_ladder

    _report_import(lambda: import_csv_ladder(csv_file, out_dir), out_dir, as_json)


@import_app.command("onet")
def import_onet_cmd(onet_dir: Path, out_dir: Path, as_json: bool = JsonOpt) -> None:
    """Import the O*NET database's text files (occupations, skills, reported titles, career links)."""
    from coach.importers.onet import import_onet

    _report_import(lambda: import_onet(onet_dir, out_dir), out_dir, as_json)


def _report_import(run: Any, out_dir: Path, as_json: bool) -> None:
    from coach.knowledge import check_knowledge

    try:
        report = run()
    except CoachError as exc:
        fail(exc, as_json)
    problems = check_knowledge(out_dir)
    payload = {**report.model_dump(mode="json"), "problems": [str(p) for p in problems]}
    lines = [f"imported into {out_dir}: {len(report.roles)} roles, {len(report.competencies)} competencies"]
    lines += [f"warning: {w}" for w in report.warnings]
    lines += [f"{getattr(b, 'file', '') + ' ' if getattr(b, 'file', '') else ''}line {b.line}: {b.reason}"
              if hasattr(b, "line") else str(b) for b in report.bad_rows]
    lines += [f"problem: {p}" for p in problems]
    emit(payload, as_json, "\n".join(lines))
    if problems:
        raise typer.Exit(1)


@app.command("index")
def index_cmd(ctx: typer.Context, as_json: bool = JsonOpt) -> None:
    """Embed new or changed knowledge documents into Chroma (unchanged ones are skipped)."""
    try:
        stats = engine(ctx).reindex(progress=not as_json and sys.stderr.isatty())
    except CoachError as exc:
        fail(exc, as_json)
    payload = {"added": stats.added, "updated": stats.updated, "unchanged": stats.unchanged, "removed": stats.removed,
               "embedded": stats.embedded, "seconds": round(stats.seconds, 2),
               "docs_per_second": round(stats.docs_per_second, 1), "per_kind": stats.per_kind}
    emit(payload, as_json, f"indexed: {stats.added} added, {stats.updated} updated, {stats.unchanged} unchanged, "
                           f"{stats.removed} removed ({stats.embedded} embedded in {stats.seconds:.1f}s)")


@app.command("search")
def search_cmd(ctx: typer.Context, text: str, kind: Optional[str] = typer.Option(None, help="role | competency | resource | question | opportunity"),
               top: int = typer.Option(10, min=1, max=100), job_family: Optional[str] = None,
               track: Optional[str] = None, level: Optional[int] = None, as_json: bool = JsonOpt) -> None:
    """Hybrid (meaning + keyword) search over the knowledge."""
    if kind not in (None, "role", "competency", "resource", "question", "opportunity"):
        fail(invalid("kind", f"must be role, competency, resource, question or opportunity, got '{kind}'"), as_json)
    try:
        built = engine(ctx)
        hits = built.search(text, kind=kind, top=top, job_family=job_family, track=track, level=level)
    except CoachError as exc:
        fail(exc, as_json)
    if built.index_warning:
        typer.echo(f"warning: {built.index_warning}", err=True)
    emit([h.as_dict() for h in hits], as_json,
         "\n".join(f"{h.score:.4f}  {h.kind:<10} {h.id:<36} {h.title}" for h in hits) or "no results")



@app.command("eval")
def eval_cmd(name: str = typer.Argument(..., help="Suite name, or 'all'."),
             limit: Optional[int] = typer.Option(None, min=1, help="Only the first N cases."),
             provider: Optional[str] = typer.Option(None, help="'openai' to also run through the configured LLM."),
             split: Optional[str] = typer.Option(None, help="For suites with splits: dev, heldout or all."),
             as_json: bool = JsonOpt) -> None:
    """Run an eval suite: print a table, write evals/results/<name>.json."""
    from evals.harness import available_suites, format_table, run_suite

    names = available_suites() if name == "all" else [name]
    unknown = [n for n in names if n not in available_suites()]
    if unknown:
        fail(invalid("name", f"unknown suite {unknown}; available: {', '.join(available_suites())}"), as_json)
    options: dict[str, str] = {"provider": provider} if provider else {}
    if split:
        options["split"] = split
    out = []
    for suite in names:
        result, path = run_suite(suite, limit=limit, **options)
        out.append({"suite": suite, "results": str(path),
                    "metrics": {m.name: {"value": m.value, "target": m.target, "passed": m.passed} for m in result.metrics}})
        if not as_json:
            typer.echo(format_table(result))
            typer.echo(f"written: {path}\n")
    if as_json:
        emit(out, True)


@app.command("serve")
def serve(ctx: typer.Context, host: Optional[str] = typer.Option(None, help="Bind address (default: COACH_HOST)."),
          port: Optional[int] = typer.Option(None, min=1, max=65535, help="Port (default: COACH_PORT)."),
          workers: int = typer.Option(1, min=1, max=64, envvar="COACH_WORKERS",
                                      help="API processes on the port; more than one needs a Chroma server.")) -> None:
    """Serve the HTTP API (uvicorn); with --workers N, N processes built by the app factory."""
    import uvicorn

    settings = settings_of(ctx)
    if workers > 1 and not settings.chroma_host:
        # Each process would open the Chroma directory itself: Chroma does not support that, and a reindex in one
        # process would not reach the others' in-memory index.
        fail(invalid("workers", f"{workers} processes need a Chroma server: run `chroma run --path DIR` and set "
                                "COACH_CHROMA_HOST (and COACH_CHROMA_PORT); a local Chroma directory serves one "
                                "process"))
    uvicorn.run("api.main:create_app", factory=True, host=host or settings.host, port=port or settings.port,
                workers=workers, log_level="info")
