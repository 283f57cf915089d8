"""`coach feedback check`: the feedback-language check on the command line."""

from __future__ import annotations

import typer

from coach.cli.common import JsonOpt, app, emit, fail
from coach.errors import CoachError
from coach.feedback.check import FeedbackVerdict, check_feedback

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
def check(text: str = typer.Argument(..., help="The feedback, quoted."), as_json: bool = JsonOpt) -> None:
    """Say whether feedback names a behaviour, its impact and a next step, and flag judgements of the person."""
    try:
        verdict = check_feedback(text)
    except CoachError as exc:
        fail(exc, as_json)
        return
    emit(verdict.model_dump(mode="json"), as_json, verdict_text(verdict))
