"""The topic of the recent context, addressed to the employee."""

from __future__ import annotations

import pytest

from coach.context import extract_topic


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
