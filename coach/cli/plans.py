"""`coach map-versions`: re-plan a stored development map, list its versions, flagged maps, record metrics.

Like `coach notes retry`, these commands act as admin on the database of COACH_DATABASE_URL / COACH_DATA_DIR.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from pydantic import ValidationError

from coach.cli.admin import _store
from coach.cli.common import JsonOpt, app, emit, engine, fail
from coach.cli.pipelines import _date, _ratings, _validation_failure
from coach.errors import CoachError
from coach.settings import get_settings
from coach.store.auth import Principal

map_versions_app = typer.Typer(help="Versions of stored development maps: re-plan, list, flagged, metrics.",
                               no_args_is_help=True)
app.add_typer(map_versions_app, name="map-versions")
ADMIN = Principal(role="admin")


@map_versions_app.command("replan")
def replan_cmd(ctx: typer.Context, map_id: str = typer.Argument(..., help="A stored map's id."),
               reason: str = typer.Option(..., help="Why the map is re-planned."),
               target: Optional[str] = typer.Option(None, "--target", help="A new target role."),
               aspiration: Optional[str] = typer.Option(None, help="A new aspiration (picks the target without "
                                                                   "--target)."),
               horizon: Optional[int] = typer.Option(None, "--horizon", help="A new horizon in months (1 to 60)."),
               ratings: Optional[Path] = typer.Option(None, help="YAML/JSON file of ratings that changed."),  # noqa: B008
               start: Optional[str] = typer.Option(None, help="A new first day, YYYY-MM-DD (default: the map's)."),
               as_json: bool = JsonOpt) -> None:
    """Re-plan a stored map as its next version and print what changed, and why."""
    from coach.growth.replan import replan

    try:
        record = replan(engine(ctx), _store(get_settings()), ADMIN, map_id, reason=reason, aspiration=aspiration,
                        target_role=target, horizon_months=horizon,
                        ratings=_ratings(ratings),
                        start=_date(start, "start") if start else None)
    except ValidationError as exc:
        _validation_failure(exc, as_json)
    except CoachError as exc:
        fail(exc, as_json)
    diff = record.payload.get("diff") or {}
    text = "\n".join([f"map {record.id}: version {record.version} of the plan (replaces {record.previous_id})",
                      *diff.get("markdown", [])])
    emit(record.model_dump(mode="json"), as_json, text)


@map_versions_app.command("list")
def list_cmd(ctx: typer.Context, map_id: str = typer.Argument(..., help="Any version's id."),
             as_json: bool = JsonOpt) -> None:
    """Every version of the plan the map belongs to, oldest first, with what changed each time."""
    from coach.growth.replan import map_versions

    try:
        versions = map_versions(_store(get_settings()), ADMIN, map_id)
    except CoachError as exc:
        fail(exc, as_json)
    lines = []
    for v in versions:
        latest = " (latest)" if v.latest else ""
        lines.append(f"v{v.version}{latest} {v.id} {v.created_at.date().isoformat()} by {v.created_by}: "
                     f"{v.target_role}, {v.horizon_months} months, {v.actions} actions")
        lines += [f"  {line}" for line in (v.diff.markdown if v.diff else [])]
    emit([v.model_dump(mode="json") for v in versions], as_json, "\n".join(lines))


@map_versions_app.command("flagged")
def flagged_cmd(ctx: typer.Context, as_json: bool = JsonOpt) -> None:
    """Open maps (each employee's newest) that the current knowledge no longer matches, with the reasons."""
    from coach.growth.replan import affected_maps

    try:
        flags = affected_maps(engine(ctx), _store(get_settings()))
    except CoachError as exc:
        fail(exc, as_json)
    lines = []
    for f in flags:
        lines.append(f"{f.employee_id}: map {f.map_id} (v{f.version}, {f.target_role})")
        lines += [f"  - {reason}" for reason in f.reasons]
    emit([f.model_dump(mode="json") for f in flags], as_json,
         "\n".join(lines) or "no map needs re-planning: every open map matches the knowledge")


@map_versions_app.command("metric")
def metric_cmd(ctx: typer.Context, map_id: str = typer.Argument(..., help="A stored map's id."),
               competency: str = typer.Argument(..., help="A gap competency of the map, e.g. planning-execution."),
               indicator: str = typer.Option(..., help="The indicator's id, e.g. planning-accuracy."),
               baseline: Optional[float] = typer.Option(None), baseline_on: Optional[str] = typer.Option(None),
               target: Optional[float] = typer.Option(None), target_on: Optional[str] = typer.Option(None),
               current: Optional[float] = typer.Option(None), current_on: Optional[str] = typer.Option(None),
               as_json: bool = JsonOpt) -> None:
    """Record the baseline, target and/or current value of one indicator (each needs its date, YYYY-MM-DD)."""
    from coach.errors import InvalidInput
    from coach.growth.metrics import MetricUpdate, record_metric

    try:
        values = {}
        for name, value, on in (("baseline", baseline, baseline_on), ("target", target, target_on),
                                ("current", current, current_on)):
            if value is None and on is None:
                continue
            if value is None or on is None:
                raise InvalidInput(f"{name}: give both --{name} and --{name}-on", field=name)
            values[name] = {"value": value, "on": _date(on, f"{name}_on")}
        update = MetricUpdate(indicator=indicator, **values)
        metrics = record_metric(_store(get_settings()), ADMIN, map_id, competency, update)
    except ValidationError as exc:
        _validation_failure(exc, as_json)
    except CoachError as exc:
        fail(exc, as_json)
    lines = [f"{metrics.competency}:"]
    for i in metrics.indicators:
        shown = [f"{n} {getattr(i, n).value:g} ({getattr(i, n).on.isoformat()})" for n in ("baseline", "target",
                                                                                            "current") if getattr(i, n)]
        lines.append(f"  {i.id}: {', '.join(shown) or 'not recorded'}")
    emit(metrics.model_dump(mode="json"), as_json, "\n".join(lines))
