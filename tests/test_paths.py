"""Career paths over the role graph, and the gap arithmetic underneath."""

from __future__ import annotations

import pytest

from coach.engine import Engine
from coach.errors import InvalidInput, UnknownRole
from coach.growth.gaps import Rating, analyse_gaps, classify_move, normalise_ratings
from coach.growth.paths import explore_paths, rank_target_roles, reachable, role_graph


def test_gaps_use_ratings_then_assumed_levels(engine: Engine) -> None:
    k = engine.knowledge
    current, target = k.roles["software-engineer-ii"], k.roles["engineering-manager"]
    cid = next(iter(target.competencies))
    analysis = analyse_gaps(k, current, target, {cid: Rating(self=1, manager=4)})
    rated = [g for g in analysis.gaps if g.competency_id == cid]
    if rated:
        assert rated[0].current == 4 and not rated[0].assumed
    assert analysis.disagreements and analysis.disagreements[0]["competency_id"] == cid
    for gap in analysis.gaps:
        assert gap.delta == gap.required - gap.current > 0
        assert gap.required == target.competencies[gap.competency_id]
        assert gap.required_behaviours == k.competencies[gap.competency_id].level(gap.required).behaviours
    priorities = [g.priority for g in analysis.gaps]
    assert priorities == sorted(priorities, reverse=True)


def test_ratings_are_validated() -> None:
    assert normalise_ratings({"x": 3})["x"].current == 3
    assert normalise_ratings({"x": {"self": 2}})["x"].current == 2
    with pytest.raises(ValueError):
        normalise_ratings({"x": 6})


def test_graph_links_and_moves(engine: Engine) -> None:
    k = engine.knowledge
    graph = role_graph(k)
    assert all(target in k.roles for edges in graph.values() for target, _ in edges)
    steps = reachable(k, "senior-software-engineer")
    assert "staff-engineer" in steps and "engineering-manager" in steps
    assert classify_move(k.roles["senior-software-engineer"], k.roles["engineering-manager"]) == "management"
    assert classify_move(k.roles["senior-software-engineer"], k.roles["staff-engineer"]) == "expert-ic"


def test_explore_paths_covers_the_tracks(engine: Engine) -> None:
    result = explore_paths(engine, "senior-data-analyst", "I love customer problems", limit=6)
    assert 1 <= len(result.paths) <= 6
    categories = {p.category for p in result.paths}
    assert {"lateral", "management"} <= categories or {"up", "lateral"} <= categories
    for path in result.paths:
        assert 1 <= len(path.steps) <= 3
        assert all(len(s.top_gaps) <= 3 for s in path.steps)
        assert path.total_months > 0 and path.explanation
        assert path.interest_fit is not None
    finals = [p.steps[-1].role.id for p in result.paths]
    assert len(finals) == len(set(finals))


def test_interests_steer_the_ranking(engine: Engine) -> None:
    result = explore_paths(engine, "senior-data-analyst", "I want to manage and grow a team of analysts", limit=6)
    assert result.paths[0].steps[-1].role.id == "analytics-manager"


def test_aspiration_candidates_prefer_reachable_roles(engine: Engine) -> None:
    current = engine.knowledge.roles["software-engineer-ii"]
    candidates = rank_target_roles(engine, current, "I'd like to run a team of engineers one day", top=3)
    assert "engineering-manager" in [c.id for c in candidates]
    assert all(c.reasons for c in candidates)


def test_bad_input(engine: Engine) -> None:
    with pytest.raises(UnknownRole):
        explore_paths(engine, "qqqq zzzz xxxx")
    with pytest.raises(InvalidInput):
        explore_paths(engine, "data-analyst", limit=0)
