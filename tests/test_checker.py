"""The question checker on hand-written career-coaching questions, and the AnnoMI suite on a few rows."""

from __future__ import annotations

import pytest

from coach.questions.checker import QuestionCheck, check_question, classify_open
from evals.harness import SHARED_DIR, run_suite

OPEN = [
    "What part of your work this quarter are you proudest of?",
    "How did the hand-over to the platform team go from your side?",
    "Why does the product role appeal to you more than the lead role?",
    "Where do you see your career in two years?",
    "Which skills would you most like to build next?",
    "Who in the organisation could you learn stakeholder management from?",
    "In what ways has your role changed since the reorganisation?",
    "What else would help you feel ready for the senior level?",
    "How do you feel about the feedback from the design review?",
    "Tell me about a project where you felt stretched.",
    "Walk me through how you prioritised the Q3 roadmap.",
    "Describe a conversation with a customer that changed your mind.",
    "Can you tell me more about what happened in the planning meeting?",
    "You mentioned the SQL dashboards. What did building them teach you?",
    "So, um, thinking about next year, what would make it a good year for you?",
    "What support and resources would help you get there?",
    "How do you decide what to prioritise and what to drop?",
    "Do you want to tell me how the client workshop went?",
    "I'd love to hear where you see yourself in a couple of years.",
    "What skills, tools or people would help you get to the next level?",
]

CLOSED = {
    "yes/no auxiliary": "Do you enjoy mentoring the new analysts?",
    "yes/no 'are you'": "Are you happy in your current team?",
    "yes/no 'have you'": "Have you talked to your manager about the move?",
    "yes/no 'would you'": "Would you be interested in leading the next sprint?",
    "yes/no 'can you'": "Can you finish the certification by March?",
    "tag question": "The migration went well, right?",
    "tag question 'isn't it'": "That project was a stretch, wasn't it?",
    "either/or": "Would you rather stay an IC or move into management?",
    "declarative": "You're surprised to hear that?",
    "fact: how many": "How many direct reports do you have now?",
    "fact: when": "When did you join the data team?",
    "permission": "Is it okay if I share some feedback from the review?",
    "permission 'can I'": "Can I share an observation from the last sprint?",
    "scale": "On a scale of 1 to 10, how confident are you about presenting to the board?",
    "yes/no 'would you say'": "Would you say you're more motivated now than in January?",
    "yes/no 'is there'": "Is there anything else you want to cover today?",
    "pick between named options": "Which quarter should we aim the promotion case at, Q2 or Q3?",
    "pick with 'would you rather'": "Which would you rather, leading the migration or mentoring the new grads?",
    "fact: a date": "What's your review date?",
    "fact: how often": "How often do you meet your mentor?",
    "fact: how long": "How long have you been on the payments team?",
}

LEADING = [
    "Don't you think you should apply for the team lead role?",
    "Wouldn't you agree that the new process is better?",
    "Isn't it true that you missed the last two deadlines?",
    "Surely you want to be promoted this year?",
    "Shouldn't you spend more time on stakeholder updates?",
    "Why haven't you signed up for the leadership course yet?",
    "How much would you love to lead the platform team?",
    "The offsite was useful, right?",
    "How proud are you of what the team pulled off this quarter?",
]

DOUBLE = [
    "What do you enjoy about the role and what would you change?",
    "What went well this quarter? What would you do differently?",
    "How do you feel about the reorg, and how has it changed your plans?",
    "What are your goals for next year and do you have a plan for them?",
    "Do you feel supported by the team and is your workload sustainable?",
    "Walk me through the incident review and tell me how mentoring Priya is going.",
    "How do you feel about the new team structure and about our one-to-ones?",
]

SINGLE_WITH_COMPOUND = [
    "What support and resources would help you most?",
    "Which skills and experiences do you want to build this year?",
    "How do you balance delivery work and learning time?",
    "What part of your recent work are you proudest of, and what made it go well?",
    "What do you enjoy most about mentoring, and why?",
    "Which parts of the last project stretched you most, and how did you handle that?",
]


@pytest.mark.parametrize("text", OPEN)
def test_open_questions_are_open_and_ok(text: str) -> None:
    check = check_question(text)
    assert check.open and classify_open(text), check.reasons
    assert check.ok, check.reasons


@pytest.mark.parametrize("kind", sorted(CLOSED))
def test_closed_questions_of_each_kind(kind: str) -> None:
    check = check_question(CLOSED[kind])
    assert not check.open and not check.ok
    assert check.reasons, "a closed question must say why"


@pytest.mark.parametrize("text", LEADING)
def test_leading_questions_are_flagged(text: str) -> None:
    check = check_question(text)
    assert check.leading and not check.ok, check.reasons


@pytest.mark.parametrize("text", DOUBLE)
def test_double_barrelled_questions_are_flagged(text: str) -> None:
    check = check_question(text)
    assert check.double_barrelled and not check.ok, check.reasons


@pytest.mark.parametrize("text", SINGLE_WITH_COMPOUND)
def test_compound_object_is_not_double_barrelled(text: str) -> None:
    check = check_question(text)
    assert not check.double_barrelled, check.reasons
    assert check.ok, check.reasons


def test_open_non_leading_questions_are_not_leading() -> None:
    assert not any(check_question(text).leading for text in OPEN)


def test_reasons_name_the_opener() -> None:
    check = check_question("Do you like your current project?")
    assert isinstance(check, QuestionCheck)
    assert any("'Do you'" in reason and "yes/no" in reason for reason in check.reasons)


def test_disfluent_speech_is_read_through() -> None:
    assert classify_open("Okay. Wh-what, um, what would help you -- you know -- get started?")
    assert not classify_open("Right. Is-is that something you'd be open to?")


def test_empty_text_is_not_a_question() -> None:
    check = check_question("")
    assert not check.open and not check.ok and check.reasons


@pytest.mark.skipif(not (SHARED_DIR / "data" / "annomi" / "therapist_questions.csv").is_file(),
                    reason="shared AnnoMI extract not present")
def test_suite_runs_on_a_few_rows(tmp_path) -> None:
    result, path = run_suite("open_questions", limit=60, results_dir=tmp_path)
    names = {m.name for m in result.metrics}
    assert {"heldout_accuracy", "heldout_macro_f1", "all_accuracy", "all_macro_f1"} <= names
    assert all(0.0 <= m.value <= 1.0 for m in result.metrics if not m.name.endswith("cases"))
    assert any("Wu et al." in note for note in result.notes)
    assert path.is_file()
