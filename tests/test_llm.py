"""The provider interface: NoLLM, OpenAICompatibleLLM over fake and real HTTP endpoints, redaction, the test switch."""

from __future__ import annotations

import httpx
import openai
import pytest
from langchain_core.messages import HumanMessage, SystemMessage
from pydantic import BaseModel

import coach.llm.provider as llm
from coach.errors import LLMUnavailable
from coach.llm.provider import (
    ModelRequestsBlocked,
    NoLLM,
    OpenAICompatibleLLM,
    RawOutputError,
    Redactor,
    allow_model_requests,
    get_provider,
    is_loopback,
    probe_llm,
    should_redact,
)
from coach.settings import Settings
from tests.conftest import free_port
from tests.llm_fakes import ScriptedLLM, fake_chat, tool_answer


class Answer(BaseModel):
    """A tiny schema for the provider tests."""

    title: str
    points: list[str]


def _settings(**overrides: object) -> Settings:
    values: dict[str, object] = {"llm_provider": "openai", "llm_base_url": "http://127.0.0.1:9/v1", "llm_model": "m",
                                 "llm_max_retries": 0, "llm_timeout_s": 5,
                                 "llm_structured_method": "function_calling"}
    values.update(overrides)
    return Settings(_env_file=None, **values)


SESSION_DEFAULT: list[bool] = []


@pytest.fixture(autouse=True)
def _allowed():
    """These tests use fake chat models behind the real provider, so they opt in; switch tests turn it off again."""
    SESSION_DEFAULT.append(llm.ALLOW_MODEL_REQUESTS)
    with allow_model_requests():
        yield


def test_no_llm_is_the_default_and_always_unavailable() -> None:
    provider = get_provider(Settings(_env_file=None))
    assert isinstance(provider, NoLLM)
    with pytest.raises(LLMUnavailable, match="no LLM configured"):
        provider.generate([HumanMessage("hi")], Answer)
    assert probe_llm(Settings(_env_file=None)) == "not configured (rules engine only)"


def test_get_provider_openai() -> None:
    provider = get_provider(_settings())
    assert isinstance(provider, OpenAICompatibleLLM)
    assert provider.redact is False  # loopback endpoint


def test_structured_answer_is_parsed() -> None:
    chat = fake_chat(tool_answer("Answer", {"title": "T", "points": ["a", "b"]}))
    provider = OpenAICompatibleLLM(_settings(), chat_model=chat)
    assert provider.generate([SystemMessage("s"), HumanMessage("u")], Answer) == Answer(title="T", points=["a", "b"])
    assert [m.content for m in chat.received[0]] == ["s", "u"]


def test_unparsable_answer_raises_raw_output_error_with_the_text() -> None:
    provider = OpenAICompatibleLLM(_settings(), chat_model=fake_chat("Sure! Here are some thoughts."))
    with pytest.raises(RawOutputError) as info:
        provider.generate([HumanMessage("u")], Answer)
    assert info.value.raw == "Sure! Here are some thoughts."
    assert "Answer" in str(info.value)


def test_wrong_shape_names_the_missing_field() -> None:
    provider = OpenAICompatibleLLM(_settings(), chat_model=fake_chat(tool_answer("Answer", {"title": "T"})))
    with pytest.raises(RawOutputError) as info:
        provider.generate([HumanMessage("u")], Answer)
    assert "points" in str(info.value)
    assert '"title": "T"' in info.value.raw


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (openai.APITimeoutError(request=httpx.Request("POST", "http://x/v1/chat/completions")), "timed out"),
        (openai.RateLimitError("slow down", response=httpx.Response(429, request=httpx.Request("POST", "http://x")),
                               body=None), "rate-limiting"),
        (openai.InternalServerError("boom", response=httpx.Response(500, request=httpx.Request("POST", "http://x")),
                                    body=None), "failed"),
        (openai.AuthenticationError("no", response=httpx.Response(401, request=httpx.Request("POST", "http://x")),
                                    body=None), "COACH_LLM_API_KEY"),
    ],
)
def test_endpoint_failures_become_llm_unavailable(error: Exception, expected: str) -> None:
    provider = OpenAICompatibleLLM(_settings(), chat_model=fake_chat(error))
    with pytest.raises(LLMUnavailable, match=expected):
        provider.generate([HumanMessage("u")], Answer)


def test_unreachable_real_endpoint_is_unavailable_quickly() -> None:
    settings = _settings(llm_base_url=f"http://127.0.0.1:{free_port()}/v1")
    with pytest.raises(LLMUnavailable, match="cannot be reached"):
        OpenAICompatibleLLM(settings).generate([HumanMessage("u")], Answer)
    with pytest.raises(LLMUnavailable, match="cannot be reached"):
        probe_llm(settings)


def test_switch_blocks_every_request() -> None:
    chat = fake_chat(tool_answer("Answer", {"title": "T", "points": []}))
    provider = OpenAICompatibleLLM(_settings(), chat_model=chat)
    with allow_model_requests(False):
        assert llm.ALLOW_MODEL_REQUESTS is False
        with pytest.raises(ModelRequestsBlocked):
            provider.generate([HumanMessage("u")], Answer)
        with pytest.raises(ModelRequestsBlocked):
            probe_llm(_settings())
        assert chat.received == []  # refused before anything was sent
        with allow_model_requests():
            assert provider.generate([HumanMessage("u")], Answer).title == "T"
    assert llm.ALLOW_MODEL_REQUESTS is True


def test_conftest_turns_requests_off_by_default() -> None:
    assert SESSION_DEFAULT and SESSION_DEFAULT[-1] is False


@pytest.mark.parametrize(
    ("url", "loopback"),
    [("http://127.0.0.1:8080/v1", True), ("http://localhost:11434/v1", True), ("http://[::1]:8000/v1", True),
     ("https://api.openai.com/v1", False), ("http://10.0.0.5:8000/v1", False), (None, False)],
)
def test_loopback_detection(url: str | None, loopback: bool) -> None:
    assert is_loopback(url) is loopback
    assert should_redact(_settings(llm_base_url=url)) is (not loopback)
    assert should_redact(_settings(llm_base_url=url, llm_redact=False)) is False
    assert should_redact(_settings(llm_base_url=url, llm_redact=True)) is True


def test_redactor_replaces_emails_and_phones_but_not_dates() -> None:
    redactor = Redactor()
    text = ("Mail priya.shah@example.com or call +44 20 7946 0958 / (555) 123-4567 before 2025-03-14; "
            "budget 1,200,000 for 2024-2025, level 3 on 12/05/2025.")
    out = redactor.redact(text)
    assert "priya.shah@example.com" not in out and "7946" not in out and "123-4567" not in out
    assert "[EMAIL_1]" in out and "[PHONE_1]" in out and "[PHONE_2]" in out
    for kept in ("2025-03-14", "1,200,000", "2024-2025", "level 3", "12/05/2025"):
        assert kept in out
    assert redactor.restore(out) == text
    assert redactor.redact("again priya.shah@example.com") == "again [EMAIL_1]"  # same value, same placeholder


def test_redaction_before_sending_and_restored_in_the_answer() -> None:
    chat = fake_chat(tool_answer("Answer", {"title": "Write to [EMAIL_1]", "points": ["call [PHONE_1]"]}))
    provider = OpenAICompatibleLLM(_settings(llm_base_url="https://llm.example.com/v1"), chat_model=chat)
    assert provider.redact is True
    answer = provider.generate([HumanMessage("Contact jo@corp.io or 020 7946 0958 by 2025-04-01.")], Answer)
    sent = chat.received[0][0].content
    assert "jo@corp.io" not in sent and "020 7946 0958" not in sent and "2025-04-01" in sent
    assert answer == Answer(title="Write to jo@corp.io", points=["call 020 7946 0958"])


def test_no_redaction_for_a_loopback_endpoint() -> None:
    chat = fake_chat(tool_answer("Answer", {"title": "t", "points": []}))
    OpenAICompatibleLLM(_settings(), chat_model=chat).generate([HumanMessage("jo@corp.io")], Answer)
    assert chat.received[0][0].content == "jo@corp.io"


def test_scripted_fake_records_calls_and_scripts_failures() -> None:
    fake = ScriptedLLM({"title": "a", "points": []}).enqueue("not json", LLMUnavailable("down"))
    assert fake.generate([HumanMessage("1")], Answer).title == "a"
    with pytest.raises(RawOutputError) as info:
        fake.generate([HumanMessage("2")], Answer)
    assert info.value.raw == "not json"
    with pytest.raises(LLMUnavailable):
        fake.generate([HumanMessage("3")], Answer)
    assert fake.calls == 3 and fake.history[1][0][0].content == "2" and fake.history[0][1] is Answer
