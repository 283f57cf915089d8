"""Development maps: target, gaps, dated actions inside the horizon, check-ins, edge cases."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from coach.growth.development import add_months, build_development_map
from coach.engine import Engine
from coach.errors import InvalidInput, UnknownCompetency, UnknownRole

START = date(2026, 1, 5)


def test_map_from_an_aspiration(engine: Engine) -> None:
    dev_map = build_development_map(engine, "software-engineer-ii", aspiration="engineering manager within 18 months",
                                    horizon_months=18, start=START)
    assert dev_map.target_role.id == "engineering-manager"
    assert 1 <= len(dev_map.candidates) <= 3
    assert dev_map.gaps and dev_map.actions and dev_map.check_ins
    gap_ids = {g.competency_id for g in dev_map.gaps}
    assert all(a.competency_id in gap_ids for a in dev_map.actions)
    assert all(START <= a.start <= a.due <= dev_map.end for a in dev_map.actions)
    assert [a.due for a in dev_map.actions] == sorted(a.due for a in dev_map.actions)
    categories = {a.category for a in dev_map.actions}
    assert "experience" in categories and len(categories) >= 2
    for action in dev_map.actions:
        assert action.resource_id in engine.knowledge.resources and action.milestone
        builds = {b.competency for b in engine.knowledge.resources[action.resource_id].builds}
        assert action.competency_id in builds
    assert dev_map.end == date(2027, 7, 5)
    assert all(START < c.date <= dev_map.end for c in dev_map.check_ins)
    assert "# Development map" in dev_map.markdown and dev_map.target_role.title in dev_map.markdown


def test_each_resource_appears_once_in_a_map(engine: Engine) -> None:
    dev_map = build_development_map(engine, "senior-software-engineer", target_role="staff-engineer",
                                    horizon_months=12, start=START)
    ids = [a.resource_id for a in dev_map.actions]
    assert len(ids) == len(set(ids)) and len(ids) >= 4


def test_explicit_target_and_rating_disagreement(engine: Engine) -> None:
    target = engine.knowledge.roles["senior-data-analyst"]
    cid = next(iter(target.competencies))
    dev_map = build_development_map(engine, "data-analyst", target_role="senior-data-analyst",
                                    ratings={cid: {"self": 4, "manager": 1}}, horizon_months=12, start=START)
    assert dev_map.target_role.id == "senior-data-analyst"
    assert any(d["competency_id"] == cid for d in dev_map.disagreements)
    assert any("differ by 3 levels" in n for n in dev_map.notes)


def test_target_at_or_below_current_level_says_so(engine: Engine) -> None:
    dev_map = build_development_map(engine, "senior-software-engineer", target_role="software-engineer-ii",
                                    horizon_months=6, start=START)
    assert any("at or below the current level" in n for n in dev_map.notes)
    assert not dev_map.gaps and dev_map.stretch_goals


def test_short_horizon_reports_what_does_not_fit(engine: Engine) -> None:
    dev_map = build_development_map(engine, "software-engineer-i", target_role="director-of-engineering",
                                    horizon_months=1, start=START)
    assert dev_map.gaps_outside_horizon
    assert any("Not covered inside the horizon" in n for n in dev_map.notes)


def test_bad_input(engine: Engine) -> None:
    with pytest.raises(UnknownRole) as err:
        build_development_map(engine, "qqqq zzzz xxxx", aspiration="lead", start=START)
    assert err.value.field == "current_role"
    with pytest.raises(UnknownCompetency) as err2:
        build_development_map(engine, "data-analyst", target_role="senior-data-analyst",
                              ratings={"sql-wizardry": 3}, start=START)
    assert err2.value.field == "ratings.sql-wizardry"
    with pytest.raises(InvalidInput):
        build_development_map(engine, "data-analyst", aspiration="", start=START)
    with pytest.raises(InvalidInput):
        build_development_map(engine, "data-analyst", aspiration="x", horizon_months=0, start=START)


def test_add_months_clamps_to_month_end() -> None:
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 11, 15), 3) == date(2027, 2, 15)


def test_a_long_horizon_works_on_more_gaps_instead_of_stopping_early(engine: Engine) -> None:
    """Issue #11: an 18-month map ended its actions after 10 months and still said gaps were outside the horizon."""
    from coach.growth.development import MAX_PRIORITY_GAPS

    start = date(2027, 1, 4)
    short = build_development_map(engine, "software-engineer-ii", target_role="engineering-manager", horizon_months=6,
                                  start=start)
    long = build_development_map(engine, "software-engineer-ii", target_role="engineering-manager", horizon_months=18,
                                 start=start)
    covered = {a.competency_id for a in long.actions}
    assert len(covered) > MAX_PRIORITY_GAPS  # after the first gaps are done, the next ones start
    assert set(long.gaps_outside_horizon) < set(short.gaps_outside_horizon)
    assert max(a.due for a in long.actions) > add_months(start, 12)  # the actions use the horizon
    assert not covered & set(long.gaps_outside_horizon)
    assert all(start <= a.start < a.due <= long.end for a in long.actions)


def test_knowledge_without_a_question_bank_or_catalogue_says_so(tmp_path: Path, engine: Engine) -> None:
    """Issue #11: an imported ladder with no catalogue and no question bank gave 0 questions and exit 0."""
    import shutil

    from coach.errors import KnowledgeIncomplete
    from coach.questions.arc import QuestionRequest
    from coach.questions.service import questions
    from coach.settings import Settings
    from tests.conftest import KNOWLEDGE_DIR

    root = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, root)
    (root / "questions.yaml").unlink()
    (root / "resources.yaml").unlink()
    bare = Engine(Settings(knowledge_dir=root, data_dir=tmp_path / "data", _env_file=None), embeddings=engine.embeddings)
    with pytest.raises(KnowledgeIncomplete, match="no question bank"):
        questions(bare, QuestionRequest(role="data-analyst", aspiration="grow into a lead"))
    plan = build_development_map(bare, "data-analyst", target_role="senior-data-analyst")
    assert plan.gaps and not plan.actions
    assert any("no catalogue of development actions" in note for note in plan.notes)
    assert "Not covered inside the horizon" not in " ".join(plan.notes)


def test_a_far_target_gets_an_honest_feasibility_note(engine: Engine) -> None:
    # Issue #11: "3 steps; typical time 3-5 years; this plan covers the first step", not a 12-month plan that
    # reads as if it got there.
    far = build_development_map(engine, "software-engineer-ii", target_role="principal-engineer", horizon_months=12,
                                start=START)
    note = far.notes[0]
    assert note.startswith("Principal Engineer is 3 steps from Software Engineer II (Senior Software Engineer then "
                           "Staff Engineer then Principal Engineer)")
    years = [float(y) for y in note.split("typical time ")[1].split(" years")[0].split("-")]
    assert len(years) == 2 and 2 <= years[0] < years[1] <= 5  # years, not the plan's 12 months
    assert "first step is Senior Software Engineer" in note
    # One step away and inside the horizon: no note. One step but longer than the horizon: says so.
    near = build_development_map(engine, "software-engineer-ii", target_role="senior-software-engineer",
                                 horizon_months=18, start=START)
    assert not any("typical time" in n or "typical pace" in n for n in near.notes)
    short = build_development_map(engine, "software-engineer-ii", target_role="senior-software-engineer",
                                  horizon_months=6, start=START)
    assert "longer than this 6-month plan" in short.notes[0]
    # Every way there drifts through a third family: a change of field, not a made-up ladder.
    drift = build_development_map(engine, "analytics-manager", target_role="head-of-customer-success",
                                  horizon_months=12, start=START)
    assert drift.notes[0].startswith("Head of Customer Success is a change of field from Analytics Manager")
    assert "Director of Engineering" not in drift.notes[0]


def test_the_map_target_is_a_move_from_here_not_the_best_text_match_anywhere(engine: Engine) -> None:
    # "Lead a team" from Software Engineer II matched Customer Success Team Lead's text best; the engineering
    # manager role is the one whose description is close to where the person stands.
    dev_map = build_development_map(engine, "software-engineer-ii", aspiration="I want to lead a team one day",
                                    horizon_months=18, start=START)
    assert dev_map.target_role.id == "engineering-manager"
