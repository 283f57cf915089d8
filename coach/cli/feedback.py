"""`coach feedback check|give|evidence`: the feedback-language check, and feedback as evidence on the career map."""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

import typer

from coach.cli.admin import _store
from coach.cli.common import JsonOpt, app, emit, engine, fail
from coach.errors import CoachError, InvalidInput
from coach.settings import get_settings

if TYPE_CHECKING:
    from coach.feedback.check import FeedbackVerdict

feedback_app = typer.Typer(help="Check feedback language; tie feedback to the career map.", no_args_is_help=True)
app.add_typer(feedback_app, name="feedback")


def verdict_text(verdict: FeedbackVerdict) -> str:
    """The verdict as a few readable lines: the four flags, the matched words, then the suggestions."""
    mark = {True: "yes", False: "no"}
    lines = [f"behaviour: {mark[verdict.behaviour]}   impact: {mark[verdict.impact]}   "
             f"next step: {mark[verdict.next_step]}   judgement: {mark[verdict.judgement]}"]
    lines += [f"  {s.flag}: \"{s.text}\"" for s in verdict.spans]
    lines += [f"- {s.message}" for s in verdict.suggestions]
    return "\n".join(lines)


@feedback_app.command("check")
def check(ctx: typer.Context, text: str = typer.Argument(..., help="The feedback, quoted."),
          as_json: bool = JsonOpt) -> None:
    """Say whether feedback names a behaviour, its impact and a next step, and flag judgements of the person."""
    try:
        from coach.feedback.check import check_feedback

        verdict = check_feedback(text, embedder=engine(ctx).embeddings)
    except CoachError as exc:
        fail(exc, as_json)
        return
    emit(verdict.model_dump(mode="json"), as_json, verdict_text(verdict))


def _principal(store, person: str | None):  # noqa: ANN001, ANN202 - Store and Principal imported late
    """Admin, or the named person as the API would see them (a manager when they have reports)."""
    from coach.store.auth import Principal

    if person is None:
        return Principal(role="admin")
    if store.get_person(person) is None:
        raise InvalidInput(f"as: no person '{person}' in the store", field="as")
    reports = store.reports_of(person)
    return Principal(role="manager" if reports else "employee", person_id=person, reports=frozenset(reports))


def evidence_text(items: list) -> str:  # noqa: ANN001 - EvidencePublic, imported late
    """One line per evidence link: the message, then the quote."""
    if not items:
        return "no feedback evidence yet"
    return "\n".join(f"- {e.message}\n    \"{e.quote}\" ({e.source}, {e.created_at:%Y-%m-%d})" for e in items)


@feedback_app.command("give")
def give(ctx: typer.Context, text: str = typer.Argument(..., help="The feedback, quoted."),
         person: str = typer.Option(..., "--person", help="Whom the feedback is for (a person id)."),
         as_person: Optional[str] = typer.Option(None, "--as", help="Give it as this manager (default: admin)."),
         as_json: bool = JsonOpt) -> None:
    """Check the feedback's language, link it to the competencies it shows and store the links as evidence."""
    from coach.feedback.evidence import give_feedback

    try:
        eng = engine(ctx)
        store = _store(get_settings())
        try:
            given = give_feedback(eng, store, _principal(store, as_person), person, text)
        finally:
            store.close()
    except CoachError as exc:
        fail(exc, as_json)
        return
    emit(given.model_dump(mode="json"), as_json, verdict_text(given.verdict) + "\n\nEvidence:\n" +
         evidence_text(given.evidence))


@feedback_app.command("evidence")
def evidence(ctx: typer.Context, person: str = typer.Option(..., "--person", help="Whose evidence (a person id)."),
             as_person: Optional[str] = typer.Option(None, "--as", help="Read it as this person (default: admin)."),
             as_json: bool = JsonOpt) -> None:
    """A person's feedback evidence, newest first, against the target role of their latest development map."""
    from coach.feedback.evidence import evidence_view

    try:
        eng = engine(ctx)
        store = _store(get_settings())
        try:
            items = evidence_view(eng, store, _principal(store, as_person), person)
        finally:
            store.close()
    except CoachError as exc:
        fail(exc, as_json)
        return
    emit([e.model_dump(mode="json") for e in items], as_json, evidence_text(items))
