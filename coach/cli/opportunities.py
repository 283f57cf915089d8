"""`coach opportunities match|interest|interests` and `coach mentors`: internal opportunities and mentors."""

from __future__ import annotations

from typing import Optional

import typer

from coach.cli.admin import _store
from coach.cli.common import JsonOpt, app, emit, engine, fail
from coach.errors import CoachError
from coach.settings import get_settings
from coach.store.auth import Principal

opportunities_app = typer.Typer(help="Opportunities inside the organisation.", no_args_is_help=True)
app.add_typer(opportunities_app, name="opportunities")
ADMIN = Principal(role="admin")  # the CLI runs on the server, as the operator


@opportunities_app.command("match")
def match_cmd(ctx: typer.Context, person: str = typer.Option(..., help="The employee's person id."),
              aspiration: Optional[str] = typer.Option(None, help="In their words; used when ranking."),
              limit: int = typer.Option(10, min=1, max=50), as_json: bool = JsonOpt) -> None:
    """Open opportunities that fit the person's latest development map, best first, with reasons."""
    from coach.growth.opportunities import opportunities_for

    try:
        matches = opportunities_for(engine(ctx), _store(get_settings()), ADMIN, person, aspiration=aspiration,
                                    limit=limit)
    except CoachError as exc:
        fail(exc, as_json)
    lines = []
    for i, m in enumerate(matches, 1):
        lines.append(f"{i}. {m.title} [{m.kind}, {m.id}] closes {m.closes}, contact {m.contact_name or m.contact}"
                     f"{'  (interested)' if m.interested else ''}")
        lines += [f"   - {r}" for r in m.reasons] + [f"   ! {c}" for c in m.cautions]
    emit([m.model_dump(mode="json") for m in matches], as_json, "\n".join(lines) or "no open opportunity fits")


@opportunities_app.command("interest")
def interest_cmd(ctx: typer.Context, opportunity_id: str = typer.Argument(..., help="An opportunity id."),
                 person: str = typer.Option(..., help="The employee's person id."),
                 note: Optional[str] = typer.Option(None, help="Why they are interested."),
                 withdraw: bool = typer.Option(False, "--withdraw", help="Withdraw the interest instead."),
                 as_json: bool = JsonOpt) -> None:
    """Register (or --withdraw) a person's interest in an opportunity."""
    from coach.growth import opportunities

    try:
        store = _store(get_settings())
        if withdraw:
            record = opportunities.withdraw(store, ADMIN, opportunity_id, employee_id=person)
        else:
            record = opportunities.express_interest(engine(ctx), store, ADMIN, opportunity_id, employee_id=person,
                                                    note=note)
    except CoachError as exc:
        fail(exc, as_json)
    state = "withdrawn" if record.withdrawn_at else "registered"
    emit(record.model_dump(mode="json"), as_json, f"{person}: interest in {opportunity_id} {state}")


@opportunities_app.command("interests")
def interests_cmd(ctx: typer.Context, manager: str = typer.Option(..., help="The manager's person id."),
                  include_withdrawn: bool = typer.Option(False, "--include-withdrawn"),
                  as_json: bool = JsonOpt) -> None:
    """What a manager's reports registered interest in, newest first."""
    from coach.growth.opportunities import interests_for_manager

    try:
        views = interests_for_manager(engine(ctx), _store(get_settings()), ADMIN, manager,
                                      include_withdrawn=include_withdrawn)
    except CoachError as exc:
        fail(exc, as_json)
    lines = [f"{v.created_at[:10]}  {v.employee:<20} {v.opportunity}{'  (withdrawn)' if v.withdrawn_at else ''}"
             + (f"\n            note: {v.note}" if v.note else "") for v in views]
    emit([v.model_dump(mode="json") for v in views], as_json, "\n".join(lines) or "no interest registered")


@app.command("mentors")
def mentors_cmd(ctx: typer.Context, person: str = typer.Option(..., help="The employee's person id."),
                map_id: Optional[str] = typer.Option(None, "--map-id", help="A stored map; default: the latest."),
                as_json: bool = JsonOpt) -> None:
    """People in the organisation who agreed to mentor and can help with the person's development map."""
    from coach.growth.mentors import mentors_for

    try:
        suggestions = mentors_for(engine(ctx), _store(get_settings()), ADMIN, person, map_id)
    except CoachError as exc:
        fail(exc, as_json)
    lines = []
    for i, s in enumerate(suggestions, 1):
        lines.append(f"{i}. {s.name} ({s.role_title or 'no role on file'}, {s.email or s.person_id})")
        lines += [f"   - {r}" for r in s.reasons]
    emit([s.model_dump(mode="json") for s in suggestions], as_json, "\n".join(lines) or "no mentor found")
