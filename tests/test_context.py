"""The topic of the recent context, addressed to the employee."""

from __future__ import annotations

import pytest

from coach.questions.context import extract_topic, extract_topics


@pytest.mark.parametrize("context,topic", [
    ("last time we talked about her SQL dashboards", "your SQL dashboards"),
    ("We talked to her about the pricing experiment", "the pricing experiment"),
    ("Got feedback on his code reviews being too harsh", "your code reviews"),
    ("he closed the Acme renewal last month", "the Acme renewal"),
    ("She wrapped up the Q3 planning doc", "the Q3 planning doc"),
    ("Ran the Kafka migration well", "the Kafka migration"),
])
def test_topics(context: str, topic: str) -> None:
    assert extract_topic(context) == topic


@pytest.mark.parametrize("context", ["", "She is doing well", "He wants to move to PM"])
def test_no_topic(context: str) -> None:
    assert extract_topic(context) is None


@pytest.mark.parametrize("context,topic", [
    ("Kubernetes upgrade done, no downtime. pager load still high", "the Kubernetes upgrade"),
    ("saved the Norcross account after it went red in Q1", "the Norcross account"),
    ("back from paternity leave two weeks ago, easing in", "your paternity leave"),
    ("wrote the ingestion service RFC (splitting reads from writes)", "the ingestion service RFC"),
    ("her onboarding-flow series got reused by the sales team", "your onboarding-flow series"),
    ("incident lead for the June outage, postmortem was solid", "the June outage"),
    ("secondment to the Billing team ended last week", "the secondment to the Billing team"),
    ("launch of Beacon 3.0 slipped a week", "the launch of Beacon 3.0"),
    ("renewed Halden Foods at 110% of last year", "Halden Foods"),
    ("handled the Postgres 16 upgrade over the weekend, zero downtime", "the Postgres 16 upgrade"),
])
def test_topics_from_fragmentary_notes(context: str, topic: str) -> None:
    assert extract_topic(context) == topic


def test_a_second_specific_topic_is_kept_and_a_vague_one_is_not() -> None:
    assert extract_topics("led the search indexing rewrite; friction with infra over the queue migration") == [
        "the search indexing rewrite", "the queue migration"]
    assert extract_topics("led the search indexing rewrite, the team was happy") == ["the search indexing rewrite"]


def test_time_words_and_numbers_are_not_topics() -> None:
    assert extract_topics("two weeks ago she said last quarter was hard") == []


@pytest.mark.parametrize("context,topic", [
    # Issue #15, panel round 2: a plan gave "When you think back on the integrations in Q3, ...".
    ("Ran the proofs of concept for the two largest deals last quarter. The PM team expects to open an associate PM "
     "role on integrations in Q3.", "the largest deals"),
    ("The reorg will move her to the Atlas team. She shipped the billing export.", "the billing export"),
    ("His promotion case is pending. He led the March incident review.", "the March incident review"),
    ("budget planning for next year", "the budget planning"),  # a date alone does not make it a plan
])
def test_a_plan_or_an_expectation_is_no_topic_to_think_back_on(context: str, topic: str) -> None:
    assert extract_topic(context) == topic
