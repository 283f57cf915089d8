"""The learned commitment judge: segmentation, owners from the line, and the shipped model on real embeddings."""

from __future__ import annotations

from datetime import date

import pytest

from coach.engine import Engine
from coach.followup.judged import _default_owner, add_judged_commitments
from coach.followup.learned_judge import load_judge, segment_notes
from coach.followup.summaries import FollowUpSummary, Participant, draft_summary

PEOPLE = [Participant(name="Kevin Vuong", role="manager"), Participant(name="Jeff Chhen", role="employee")]
MEETING = date(2020, 3, 28)


def test_segments_carry_their_heading_and_skip_headings_rules_and_table_headers() -> None:
    notes = ("# Weekly sync\n\n## What would you like to work on next week?\n\n* Finish the parser\n"
             "- [x] Old item\n\n| Task | Owner | Due |\n|---|---|---|\n| Write docs | Jeff | Fri |\n")
    segments = segment_notes(notes)
    assert [s.text for s in segments] == ["Finish the parser", "Old item", "| Write docs | Jeff | Fri |"]
    assert segments[0].heading == "What would you like to work on next week?" and segments[0].list_item
    assert segments[1].checkbox == "x"
    assert segments[2].heading == "| Task | Owner | Due |"


def _judged(engine: Engine, notes: str, people: list[Participant] = PEOPLE) -> FollowUpSummary:
    """Only what the judge finds: the rules' commitments are taken out first."""
    rules = draft_summary(notes, MEETING, people).model_copy(update={"commitments": []})
    return add_judged_commitments(rules, notes, MEETING, people, embedder=engine.embeddings)


def test_judge_finds_plan_lines_and_names_owners_from_tables_and_lines(engine: Engine) -> None:
    notes = ("## Action Plan\n\n| Task | Assigned To | Deadline |\n|---|---|---|\n"
             "| Write the QA process documentation | Kevin Vuong | Fri |\n\n"
             "## What happened\n\n* We looked at the Stitch demo together and it went well\n\n"
             "## Next week\n\n* Jeff will connect the site to the Twitter API\n")
    summary = _judged(engine, notes)
    by_action = {c.action: c for c in summary.commitments}
    assert "Write the QA process documentation" in by_action
    assert by_action["Write the QA process documentation"].owner == "Kevin Vuong"
    assert by_action["Write the QA process documentation"].due == date(2020, 4, 3)
    assert by_action["connect the site to the Twitter API"].owner == "Jeff Chhen"
    assert not any("Stitch demo" in c.action for c in summary.commitments)
    for c in summary.commitments:
        assert c.evidence in notes and c.owner in (None, "Kevin Vuong", "Jeff Chhen")
        assert "found by the learned judge: check it" in c.flags


def test_a_name_after_with_is_not_the_owner_and_group_lines_stay_unowned(engine: Engine) -> None:
    people = [Participant(name="Ana Silva", role="manager"), Participant(name="Bo Chen", role="employee"),
              Participant(name="Cy Diaz", role="employee")]
    notes = "Action items:\n- Set up a meeting with Bo to review the budget proposal\n- Cy will update the install script\n"
    summary = _judged(engine, notes, people)
    owners = {c.action: c.owner for c in summary.commitments}
    assert owners.get("update the install script") == "Cy Diaz"
    meeting = [o for a, o in owners.items() if "budget" in a]
    assert meeting == [None]  # Bo is who it is with, and with two employees nobody is assumed


def test_the_shipped_model_loads_with_a_threshold() -> None:
    judge = load_judge()
    assert judge is not None and 0 < judge.threshold < 1
    assert judge.weights.shape == (384 * 2 + 10,)


@pytest.mark.parametrize("line, higher", [("Send the draft report to Kevin by Friday", True),
                                          ("Went to the conference last week and enjoyed it", False)])
def test_judge_prefers_plans_over_reports(engine: Engine, line: str, higher: bool) -> None:
    judge = load_judge()
    [(_, p)] = judge.judge(f"## Next steps\n- {line}\n", engine.embeddings)
    assert (p >= judge.threshold) is higher


def test_unassigned_lines_belong_to_the_one_employee_only() -> None:
    assert _default_owner(PEOPLE) == "Jeff Chhen"
    supervisors = [Participant(name="Amelia", role="manager"), Participant(name="Veronika", role="manager"),
                   Participant(name="Student", role="employee")]
    assert _default_owner(supervisors) == "Student"
    assert _default_owner([*PEOPLE, Participant(name="Sam Roe", role="employee")]) is None


def test_real_notes_suite_reports_rules_and_judge_per_source(tmp_path) -> None:  # noqa: ANN001
    from evals.harness import run_suite

    result, path = run_suite("real_notes", limit=4, results_dir=tmp_path)
    names = {m.name for m in result.metrics}
    assert {"commitment_f1", "judge.commitment_f1", "invented_owners", "judge.invented_owners"} <= names
    assert any(n.startswith("source.") for n in names) and any(n.startswith("judge.source.") for n in names)
    assert path.exists() and all(c["split"] == "dev" for c in result.cases)
    assert next(m.value for m in result.metrics if m.name == "judge.invented_owners") == 0
