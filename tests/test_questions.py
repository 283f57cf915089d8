"""Question suggestions: open, personal, grounded, varied, deterministic; bad input is refused clearly."""

from __future__ import annotations

import numpy as np
import pytest
from pydantic import ValidationError

from coach.questions.checker import check_question
from coach.engine import Engine
from coach.errors import UnknownRole
from coach.knowledge import STAGES
from coach.questions import arc
from coach.questions.arc import (
    MAX_ALTERNATIVES, NEAR_DUPLICATE, OpenCommitment, QuestionRequest, plan_arc, suggest_questions,
)


def priya(**overrides: object) -> QuestionRequest:
    base = dict(name="Priya", role="data-analyst", aspiration="move toward product management in about two years",
                context="last time we talked about her SQL dashboards", conversation_type="career-check-in", count=8)
    base.update(overrides)
    return QuestionRequest(**base)


@pytest.mark.parametrize("count", range(3, 16))
def test_arc_plan_sizes_and_order(count: int) -> None:
    arc = plan_arc(count)
    assert len(arc) == count
    assert arc == sorted(arc, key=STAGES.index)
    if count >= 6:
        assert len(set(arc)) >= 4


def test_priya_gets_an_open_personal_grounded_arc(engine: Engine) -> None:
    result = suggest_questions(engine, priya())
    assert result.source == "rules"
    assert len(result.questions) == 8
    assert result.target_role and "product" in result.target_role.id
    texts = [q.text for q in result.questions]
    assert all(check_question(t).ok for t in texts), texts
    assert len({t.lower() for t in texts}) == len(texts)
    assert len({q.stage for q in result.questions}) >= 4
    assert [q.stage for q in result.questions] == sorted((q.stage for q in result.questions), key=STAGES.index)
    joined = " ".join(texts).lower()
    assert result.target_role.title.lower() in joined
    assert "sql dashboards" in joined
    assert any(engine.knowledge.competencies[g].name.lower() in joined for g in result.focus_gaps)
    for q in result.questions:
        assert q.sources and all(engine.knowledge.exists(s) for s in q.sources)
        assert "{" not in q.text and q.rationale and q.purpose
        assert all(check_question(f).ok for f in q.followups)


def test_same_input_same_output(engine: Engine) -> None:
    assert suggest_questions(engine, priya()).model_dump() == suggest_questions(engine, priya()).model_dump()


def test_empty_aspiration_still_gives_a_discovery_arc(engine: Engine) -> None:
    result = suggest_questions(engine, priya(aspiration="", context="", count=6))
    assert len(result.questions) == 6
    assert result.target_role is None
    assert {"aspire", "explore"} & {q.stage for q in result.questions}


def test_open_commitments_are_followed_up(engine: Engine) -> None:
    request = priya(open_commitments=[OpenCommitment(action="Shadow two product discovery interviews", overdue=True)])
    result = suggest_questions(engine, request)
    assert any("shadow two product discovery interviews" in q.text.lower() for q in result.questions)


def test_free_text_role_is_resolved(engine: Engine) -> None:
    result = suggest_questions(engine, priya(role="BI analyst building reports", count=5))
    assert result.current_role.id in engine.knowledge.roles


def test_unknown_role_names_the_field_and_closest(engine: Engine) -> None:
    with pytest.raises(UnknownRole) as err:
        suggest_questions(engine, priya(role="qqqq zzzz xxxx"))
    assert err.value.field == "role" and len(err.value.details["closest"]) >= 1


@pytest.mark.parametrize("field,value", [("count", 2), ("count", 16), ("aspiration", "x" * 2001), ("context", "y" * 4001)])
def test_limits(field: str, value: object) -> None:
    with pytest.raises(ValidationError) as err:
        priya(**{field: value})
    assert err.value.errors()[0]["loc"] == (field,)


@pytest.mark.parametrize(("commitment", "expected", "never"), [
    (OpenCommitment(action="Shadow two product discovery interviews", owner="Priya"), ("your commitment", "you committed"),
     ()),
    (OpenCommitment(action="Book the AWS course", owner="Dana Lee", owner_role="manager"),
     ("my commitment", "I said I would", "help me keep"), ("your commitment", "you committed")),
    (OpenCommitment(action="Send the research plan", owner="Mei Chen"),
     ("Mei Chen's commitment", "Mei Chen committed", "help Mei Chen keep"), ("your commitment", "you committed")),
    (OpenCommitment(action="Pick a venue"), ("the commitment", "we agreed to", "help keep"),
     ("your commitment", "you committed")),
])
def test_open_commitments_name_their_owner(engine: Engine, commitment: OpenCommitment, expected: tuple[str, ...],
                                           never: tuple[str, ...]) -> None:
    result = suggest_questions(engine, priya(open_commitments=[commitment], count=12))
    action = commitment.action.lower()
    follow_ups = [q.text for q in result.questions if action in q.text.lower()]
    assert follow_ups, [q.text for q in result.questions]
    assert all(any(e in text for e in expected) for text in follow_ups), follow_ups
    assert not any(n in text for text in follow_ups for n in never), follow_ups


@pytest.mark.parametrize("request_", [
    priya(),
    priya(count=15, open_commitments=[OpenCommitment(action="Shadow two product discovery interviews", owner="Priya")]),
    priya(aspiration="", context="", count=6),
], ids=["priya", "long-with-commitment", "discovery"])
def test_alternatives_are_checked_unchosen_questions_of_the_arcs_stages(engine: Engine,
                                                                      request_: QuestionRequest) -> None:
    result = suggest_questions(engine, request_)
    stages = {q.stage for q in result.questions}
    assert result.alternatives and {a.stage for a in result.alternatives} <= stages
    per_stage = {s: [a for a in result.alternatives if a.stage == s] for s in stages}
    assert all(len(found) <= MAX_ALTERNATIVES for found in per_stage.values())
    assert sum(len(found) == MAX_ALTERNATIVES for found in per_stage.values()) >= 2  # the bank has enough to offer
    chosen_ids = {q.sources[0] for q in result.questions}
    chosen_texts = {q.text for q in result.questions}
    vectors = [np.asarray(engine.embeddings.embed_query(q.text)) for q in result.questions]
    for alt in result.alternatives:
        assert alt.sources[0] in engine.knowledge.questions and alt.sources[0] not in chosen_ids
        assert engine.knowledge.questions[alt.sources[0]].stage == alt.stage
        assert alt.text not in chosen_texts and "{" not in alt.text and alt.rationale
        assert check_question(alt.text).ok, alt.text
        vector = np.asarray(engine.embeddings.embed_query(alt.text))
        assert all(float(vector @ v) < NEAR_DUPLICATE for v in vectors), alt.text
    assert len({a.sources[0] for a in result.alternatives}) == len(result.alternatives)


def test_alternatives_leave_the_chosen_arc_unchanged(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    request = priya(count=12, open_commitments=[OpenCommitment(action="Shadow two product discovery interviews")])
    with_alternatives = suggest_questions(engine, request)
    monkeypatch.setattr(arc, "MAX_ALTERNATIVES", 0)
    without = suggest_questions(engine, request)
    assert without.alternatives == [] and with_alternatives.alternatives
    assert with_alternatives.model_dump(exclude={"alternatives"}) == without.model_dump(exclude={"alternatives"})


def test_alternatives_are_personalised_like_the_chosen_ones(engine: Engine) -> None:
    result = suggest_questions(engine, priya(count=10))
    gap_names = {engine.knowledge.competencies[g].name for g in result.focus_gaps}
    with_gap = [a for a in result.alternatives if "competency" in a.personalised_with]
    assert with_gap and all(any(name.lower() in a.text.lower() for name in gap_names) for a in with_gap)
    assert any(result.target_role.title in a.text for a in result.alternatives if "target_role" in a.personalised_with)


def test_an_unsure_person_gets_no_target_and_a_voiced_fear_is_taken_up_once(engine) -> None:  # noqa: ANN001
    from coach.questions.arc import QuestionRequest, suggest_questions

    unsure = suggest_questions(engine, QuestionRequest(
        name="Sam", role="customer-success-manager", count=8,
        aspiration="Honestly I'm tired. Not sure what's next, maybe analytics, maybe something else"))
    assert unsure.target_role is None  # candidate directions are for the person to explore, not a plan
    assert any(q.stage == "explore" for q in unsure.questions)
    torn = suggest_questions(engine, QuestionRequest(name="Ana", role="senior-software-engineer", count=8,
                                                     aspiration="Torn between team lead and staying technical"))
    assert torn.target_role is None
    scared = suggest_questions(engine, QuestionRequest(
        name="Lena", role="senior-software-engineer", count=8,
        aspiration="Lead a small team within a year, but I'm scared of losing touch with the code"))
    taken_up = [q for q in scared.questions if "concern" in q.personalised_with]
    assert len(taken_up) == 1 and "you're scared of losing touch with the code" in taken_up[0].text
    assert "worry" in taken_up[0].rationale
    assert scared.target_role is not None  # a clear move, with a fear beside it: the plan stays, the fear is heard


def test_the_target_is_named_once_and_referred_back_to_after(engine: Engine) -> None:
    # Panel round 2: "the Product Manager role" five times in one set.
    result = suggest_questions(engine, QuestionRequest(
        role="sales-engineer", count=8, aspiration="I want to move into product management within the next year"))
    title = result.target_role.title
    naming = [q.text for q in result.questions if title in q.text]
    assert len(naming) == 1, [q.text for q in result.questions]
    later = [q.text for q in result.questions[[q.text for q in result.questions].index(naming[0]) + 1:]]
    assert any(phrase in text for text in later for phrase in ("that role", "that move", "toward it"))
    assert all(check_question(q.text).ok for q in result.questions)


@pytest.mark.parametrize("text,said", [
    ("What experience do you still need before stepping into the Product Manager role?",
     "What experience do you still need before stepping into that role?"),
    ("How do you think about the timing of a move toward Product Manager?",
     "How do you think about the timing of that move?"),
    ("How do you picture a typical week as Product Manager?", "How do you picture a typical week in that role?"),
    ("What would a good first step toward Product Manager be?", "What would a good first step toward it be?"),
])
def test_refer_back_wording(text: str, said: str) -> None:
    assert arc._refer_back(text, "Product Manager") == said


def test_the_arc_ends_on_a_step_the_person_owns(engine: Engine) -> None:
    # Panel round 2: sets that ended on "How do you think about the timing of a move toward ...?" lost.
    for aspiration in ("I want to move into product management within the next year",
                       "Honestly I don't know. I like coding fine, but maybe data stuff?", ""):
        result = suggest_questions(engine, QuestionRequest(role="sales-engineer", count=8, aspiration=aspiration))
        last = result.questions[-1]
        assert last.stage == "commit", aspiration
        bank_item = next(engine.knowledge.questions[s] for s in last.sources if s in engine.knowledge.questions)
        assert bank_item.theme in arc.NEXT_STEP_THEMES, (aspiration, last.text)
