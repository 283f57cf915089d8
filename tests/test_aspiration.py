"""What a person wants, kept apart from what they want to leave behind, and how ranking uses it."""

from __future__ import annotations

import pytest

from coach.growth.aspiration import aspiration_kind, said_back, split_aspiration
from coach.engine import Engine
from coach.growth.paths import rank_target_roles


@pytest.mark.parametrize("text,wanted,unwanted", [
    ("more customer calls, less spreadsheet work", "more customer calls", "spreadsheet work"),
    ("I want to stop fixing printers and get into proper networking", "I want to get into proper networking",
     "fixing printers"),
    ("I enjoy the design reviews more than pushing pixels", "I enjoy the design reviews more", "pushing pixels"),
    ("don't want reports. want to go deep on pricing models", "want to go deep on pricing models",
     "don't want reports"),
])
def test_split_keeps_the_wanted_part(text: str, wanted: str, unwanted: str) -> None:
    parts = split_aspiration(text)
    assert " ".join(parts.wanted.split()) == wanted
    assert unwanted in parts.unwanted


def test_nothing_unwanted_leaves_the_text_alone() -> None:
    text = "I'd like to lead the analytics team within two years"
    assert split_aspiration(text).wanted == text and split_aspiration(text).unwanted == ""


def test_only_unwanted_falls_back_to_the_whole_text() -> None:
    assert split_aspiration("less code").wanted == "less code"


def test_ranking_searches_the_wanted_part(engine: Engine) -> None:
    current = engine.knowledge.roles["senior-software-engineer"]
    ranked = [c.id for c in rank_target_roles(engine, current, "tired of writing code all day, I want to run a "
                                                                "team and grow the people on it", top=3)]
    assert "engineering-manager" in ranked


def test_next_level_means_the_next_level_on_the_same_track(engine: Engine) -> None:
    current = engine.knowledge.roles["software-engineer-i"]
    ranked = rank_target_roles(engine, current, "I want to get to the next level this year", top=3)
    assert ranked[0].id == "software-engineer-ii"
    assert any("next level" in reason for reason in ranked[0].reasons)


def test_saying_no_to_managing_people_keeps_management_roles_down(engine: Engine) -> None:
    current = engine.knowledge.roles["senior-software-engineer"]
    ranked = rank_target_roles(engine, current, "I want to set technical direction for several teams without "
                                                "managing people", top=3)
    assert ranked[0].id == "staff-engineer"
    assert all(engine.knowledge.roles[c.id].track == "ic" for c in ranked)


@pytest.mark.parametrize("text, kind", [
    ("engineering manager within 18 months", "clear"),
    ("I want to move toward product management", "clear"),
    ("Honestly I'm tired. Not sure what's next", "exploring"),
    ("I'm exhausted and can't face a career conversation right now", "tired"),
    ("I keep flipping between product and sales", "torn"),
    ("I don't really know what I want", "exploring"),
    ("Torn between team lead and staying technical", "torn"),
    ("weighing a move to product against going deeper in data", "torn"),
    ("I miss building things; thinking about going back to IC", "stepping-back"),
    ("I'd like to step back from managing", "stepping-back"),
    ("happy where I am, I want to get better at what I do", "staying"),
    ("", "none"),
    ("🚀🚀🚀", "none"),
])
def test_the_kind_of_aspiration(text: str, kind: str) -> None:
    assert aspiration_kind(text) == kind


def test_fears_are_kept_apart_and_said_back_in_second_person() -> None:
    parts = split_aspiration("Lead a small team within a year, but I'm scared of losing touch with the code")
    assert parts.wanted == "Lead a small team within a year"
    assert [said_back(c) for c in parts.concerns] == ["you're scared of losing touch with the code"]
    worried = split_aspiration("I want to be a PM; worried I lack the business side")
    assert [said_back(c) for c in worried.concerns] == ["you're worried you lack the business side"]
    assert split_aspiration("more people stuff, less code").concerns == ()


@pytest.mark.parametrize("text", [
    "I guess I'd like to be somewhere where my work matters more.",
    "Mostly I want my work to feel meaningful again.",
])
def test_a_text_that_says_neither_where_nor_when_is_exploring_not_a_clear_move(text: str) -> None:
    # The old default read every unmatched text as a clear move, and then named a target the person never named.
    assert aspiration_kind(text) == "exploring"


@pytest.mark.parametrize("text", ["CSM. Within 12 months.", "Staff. Next promo cycle.",
                                  "I'd like to become a data scientist", "Looking to move into sales in two years"])
def test_a_role_a_move_or_a_time_frame_is_a_clear_move(text: str) -> None:
    assert aspiration_kind(text) == "clear"
