"""One small LLM interface: messages and a pydantic model in, an instance of the model out.

The default provider is `NoLLM` (the rules engine answers everything). `OpenAICompatibleLLM`
talks to any OpenAI-compatible endpoint (OpenAI, Azure OpenAI, vLLM, Ollama, llama.cpp's
server) through langchain-openai. Tests refuse real requests unless they opt in
(`ALLOW_MODEL_REQUESTS`, checked on every call, as in pydantic-ai).
"""

from __future__ import annotations

import ipaddress
import json
import re
from abc import ABC, abstractmethod
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlparse

from langchain_core.messages import BaseMessage
from pydantic import BaseModel, ValidationError

from coach.errors import LLMUnavailable
from coach.settings import Settings

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

T = TypeVar("T", bound=BaseModel)

ALLOW_MODEL_REQUESTS = True
"""Whether providers may send requests; tests/conftest.py sets it False so no test reaches a model by accident."""

PROBE_TIMEOUT_S = 10.0
LOOPBACK_HOSTS = {"localhost", "localhost.localdomain", "ip6-localhost"}


class ModelRequestsBlocked(RuntimeError):
    """A model request was attempted while ALLOW_MODEL_REQUESTS is False (a test bug, so it is never swallowed)."""


class RawOutputError(Exception):
    """The model answered, but the answer could not be parsed into the requested schema."""

    def __init__(self, message: str, raw: str) -> None:
        super().__init__(message)
        self.raw = raw


def check_allow_model_requests() -> None:
    """Raise ModelRequestsBlocked unless real model requests are allowed right now."""
    if not ALLOW_MODEL_REQUESTS:
        raise ModelRequestsBlocked("Model requests are not allowed, since coach.llm.provider.ALLOW_MODEL_REQUESTS is False; "
                                   "use coach.llm.provider.allow_model_requests() in a test that means to reach a model")


@contextmanager
def allow_model_requests(allow: bool = True) -> Iterator[None]:
    """Temporarily allow (or forbid) model requests, restoring the previous value on exit."""
    global ALLOW_MODEL_REQUESTS
    previous = ALLOW_MODEL_REQUESTS
    ALLOW_MODEL_REQUESTS = allow
    try:
        yield
    finally:
        ALLOW_MODEL_REQUESTS = previous


class LLMProvider(ABC):
    """The provider interface: one method, messages and a schema in, a validated instance out."""

    name: str = "abstract"
    repair: bool = True
    """Whether a draft that fails validation gets one repair round (OpenAICompatibleLLM: off for local endpoints)."""

    @abstractmethod
    def generate(self, messages: list[BaseMessage], schema: type[T]) -> T:
        """Answer `messages` as an instance of `schema`.

        Raises LLMUnavailable when the endpoint cannot answer (connection, timeout, rate limit,
        5xx after bounded retries) and RawOutputError when the answer does not parse into `schema`.
        """


class NoLLM(LLMProvider):
    """Provider 'none': no model at all, so every caller keeps the rules engine's answer."""

    name = "none"

    def generate(self, messages: list[BaseMessage], schema: type[T]) -> T:
        raise LLMUnavailable("no LLM configured (set COACH_LLM_PROVIDER=openai and COACH_LLM_MODEL to use one)")


# --- redaction -----------------------------------------------------------------------------

_EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_PHONE_CANDIDATE_RE = re.compile(r"(?<![\w/.-])\+?\(?\d[\d\s().-]{5,}\d(?![\w/-])")
_NOT_A_PHONE_RE = re.compile(
    r"^(\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}\s*[-–]\s*\d{4}|\d{1,3}(,\d{3})+(\.\d+)?)$"
)


class Redactor:
    """Replaces e-mail addresses and phone numbers with numbered placeholders and puts them back afterwards."""

    def __init__(self) -> None:
        self.originals: dict[str, str] = {}
        self._placeholders: dict[str, str] = {}

    def _placeholder(self, kind: str, value: str) -> str:
        if value not in self._placeholders:
            count = sum(1 for p in self._placeholders.values() if p.startswith(f"[{kind}_")) + 1
            placeholder = f"[{kind}_{count}]"
            self._placeholders[value] = placeholder
            self.originals[placeholder] = value
        return self._placeholders[value]

    def redact(self, text: str) -> str:
        """The text with e-mail addresses and phone numbers replaced by placeholders."""
        text = _EMAIL_RE.sub(lambda m: self._placeholder("EMAIL", m.group(0)), text)

        def phone(match: re.Match[str]) -> str:
            value = match.group(0).strip()
            digits = sum(ch.isdigit() for ch in value)
            # Dates, year ranges and large numbers look like digit runs too; phone numbers have 7-15 digits.
            if not 7 <= digits <= 15 or _NOT_A_PHONE_RE.match(value):
                return match.group(0)
            return match.group(0).replace(value, self._placeholder("PHONE", value))

        return _PHONE_CANDIDATE_RE.sub(phone, text)

    def restore(self, value: Any) -> Any:
        """`value` (a string, or lists and dicts of them) with the placeholders put back."""
        if isinstance(value, str):
            for placeholder, original in self.originals.items():
                value = value.replace(placeholder, original)
            return value
        if isinstance(value, list):
            return [self.restore(v) for v in value]
        if isinstance(value, dict):
            return {k: self.restore(v) for k, v in value.items()}
        return value


def redact_messages(messages: list[BaseMessage], redactor: Redactor) -> list[BaseMessage]:
    """Copies of `messages` whose text content is redacted."""
    redacted = []
    for message in messages:
        if isinstance(message.content, str):
            redacted.append(message.model_copy(update={"content": redactor.redact(message.content)}))
        else:
            redacted.append(message)
    return redacted


def is_loopback(base_url: str | None) -> bool:
    """Whether the endpoint runs on this machine (no base URL means OpenAI's hosted API)."""
    if not base_url:
        return False
    host = (urlparse(base_url).hostname or "").lower()
    if host in LOOPBACK_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def should_redact(settings: Settings) -> bool:
    """settings.llm_redact, defaulting to on for any endpoint that is not on this machine."""
    return settings.llm_redact if settings.llm_redact is not None else not is_loopback(settings.llm_base_url)


def should_repair(settings: Settings) -> bool:
    """settings.llm_repair, defaulting to off for an endpoint on this machine (a local model is slow and rarely fixes)."""
    return settings.llm_repair if settings.llm_repair is not None else not is_loopback(settings.llm_base_url)


# --- the OpenAI-compatible provider ----------------------------------------------------------

def _raw_text(raw: Any) -> str:
    """What the model actually said: the tool-call arguments if any, else the message text."""
    if raw is None:
        return ""
    calls = getattr(raw, "tool_calls", None) or []
    if calls:
        return json.dumps(calls[0].get("args", {}), ensure_ascii=False)
    invalid = getattr(raw, "invalid_tool_calls", None) or []
    if invalid:
        return str(invalid[0].get("args") or "")
    function_call = (getattr(raw, "additional_kwargs", None) or {}).get("function_call")
    if function_call:
        return str(function_call.get("arguments", ""))
    content = getattr(raw, "content", "")
    return content if isinstance(content, str) else str(content)


def _describe_parse_error(error: Any, schema: type[BaseModel]) -> str:
    if isinstance(error, ValidationError):
        problems = [f"{'.'.join(str(p) for p in e['loc']) or '(root)'}: {e['msg']}" for e in error.errors()[:8]]
        return f"the answer does not match {schema.__name__}: " + "; ".join(problems)
    if error is not None:
        cause = getattr(error, "__cause__", None)
        if isinstance(cause, ValidationError):
            return _describe_parse_error(cause, schema)
        return f"the answer is not valid {schema.__name__} JSON: {str(error).splitlines()[0][:300]}"
    return f"the answer contained no {schema.__name__} object"


# What each kind of client error means for the person reading `llm_rejected`, by exception-name fragment.
_FAILURE_REASONS = (
    ("timeout", "timed out"),
    ("ratelimit", "is rate-limiting requests (HTTP 429)"),
    ("connection", "cannot be reached"),
    ("authentication", "refused the credentials (check COACH_LLM_API_KEY)"),
    ("permission", "refused the credentials (check COACH_LLM_API_KEY)"),
    ("notfound", "does not know the model (check COACH_LLM_MODEL)"),
    ("overflow", "says the prompt is longer than the model's context"),
    ("invalidrequest", "rejected the request (HTTP 400)"),
    ("badrequest", "rejected the request (HTTP 400)"),
)


def _unavailable(exc: Exception, base_url: str | None) -> LLMUnavailable:
    where = base_url or "the OpenAI API"
    kind = type(exc).__name__
    lowered = kind.lower()
    reason = next((text for needle, text in _FAILURE_REASONS if needle in lowered), "failed")
    detail = str(exc).splitlines()[0][:200] if str(exc) else kind
    return LLMUnavailable(f"LLM endpoint {where} {reason}: {detail}", details={"error": kind})


class OpenAICompatibleLLM(LLMProvider):
    """Any OpenAI-compatible chat endpoint, asked for structured output through langchain-openai."""

    name = "openai"

    def __init__(self, settings: Settings, *, chat_model: BaseChatModel | None = None,
                 max_tokens: int | None = None) -> None:
        self.settings = settings
        self.redact = should_redact(settings)
        self.repair = should_repair(settings)
        self.max_tokens = max_tokens or settings.llm_max_tokens
        # The chat model is injectable so tests can put langchain-core's fake chat models behind the same code path.
        self._chat_model = chat_model

    def _invoke_json_object(self, messages: list[BaseMessage], schema: type[T]) -> dict[str, Any]:
        """JSON mode with the schema attached: llama.cpp's server compiles it into a grammar, others ignore the key.

        The prompt carries the schema too, so a server that only honours `json_object` still gets the shape.
        """
        raw = self.chat_model.bind(response_format={"type": "json_object",
                                                     "schema": schema.model_json_schema()}).invoke(messages)
        try:
            return {"raw": raw, "parsed": schema.model_validate_json(_raw_text(raw)), "parsing_error": None}
        except ValidationError as exc:
            return {"raw": raw, "parsed": None, "parsing_error": exc}

    @property
    def chat_model(self) -> BaseChatModel:
        """The langchain chat model, built on first use (importing langchain-openai costs a second)."""
        if self._chat_model is None:
            from langchain_openai import ChatOpenAI

            s = self.settings
            self._chat_model = ChatOpenAI(
                base_url=s.llm_base_url, model=s.llm_model or "gpt-4o-mini", api_key=s.llm_api_key,
                timeout=s.llm_timeout_s, max_retries=s.llm_max_retries, temperature=s.llm_temperature,
                max_tokens=self.max_tokens,
            )
        return self._chat_model

    def generate(self, messages: list[BaseMessage], schema: type[T]) -> T:
        check_allow_model_requests()
        import openai
        from langchain_core.exceptions import ModelError

        redactor = Redactor() if self.redact else None
        outgoing = redact_messages(messages, redactor) if redactor else list(messages)
        method = self.settings.resolved_structured_method
        try:
            if method == "json_object":
                result = self._invoke_json_object(outgoing, schema)
            else:
                structured = self.chat_model.with_structured_output(schema, method=method, include_raw=True)
                result = structured.invoke(outgoing)
        except (openai.LengthFinishReasonError, openai.ContentFilterFinishReasonError) as exc:
            # The model answered, but its answer was cut off (max tokens) or filtered: an invalid draft, not an outage.
            raise RawOutputError(f"the answer was cut off before it was complete ({type(exc).__name__}); "
                                 "shorter notes or a larger COACH_LLM_MAX_TOKENS help", "") from exc
        except (openai.APIError, ModelError, TimeoutError, ConnectionError) as exc:
            raise _unavailable(exc, self.settings.llm_base_url) from exc
        except (ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
            # A 200 whose body is not a chat completion (HTML, `{}`, `[]`, no choices) surfaces from the openai and
            # langchain parsers as builtin errors: the endpoint is broken, not Coach, so the rules engine answers.
            where = self.settings.llm_base_url or "the OpenAI API"
            detail = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
            raise LLMUnavailable(f"LLM endpoint {where} answered with something that is not a chat completion: "
                                 f"{detail}", details={"error": type(exc).__name__}) from exc
        raw = _raw_text(result.get("raw"))
        parsed = result.get("parsed")
        if not isinstance(parsed, schema):
            raise RawOutputError(_describe_parse_error(result.get("parsing_error"), schema),
                                 redactor.restore(raw) if redactor else raw)
        if redactor and redactor.originals:
            parsed = schema.model_validate(redactor.restore(parsed.model_dump(mode="json")))
        return parsed


def get_provider(settings: Settings) -> LLMProvider:
    """The provider the settings ask for: NoLLM for 'none', OpenAICompatibleLLM for 'openai'."""
    if settings.llm_provider == "none":
        return NoLLM()
    return OpenAICompatibleLLM(settings)


def probe_llm(settings: Settings) -> str:
    """A one-line status of the configured LLM for `coach doctor`; LLMUnavailable when it cannot be reached."""
    if settings.llm_provider == "none":
        return "not configured (rules engine only)"
    check_allow_model_requests()
    import openai

    client = openai.OpenAI(base_url=settings.llm_base_url, api_key=settings.llm_api_key.get_secret_value(),
                           timeout=min(settings.llm_timeout_s, PROBE_TIMEOUT_S), max_retries=0)
    where = settings.llm_base_url or "the OpenAI API"
    try:
        ids = [m.id for m in client.models.list()]
    except openai.NotFoundError:
        # Some compatible servers have no /models: a one-token completion proves the endpoint answers.
        try:
            client.chat.completions.create(model=settings.llm_model or "gpt-4o-mini", max_tokens=1,
                                           messages=[{"role": "user", "content": "ping"}])
        except openai.APIError as exc:
            raise _unavailable(exc, settings.llm_base_url) from exc
        return f"reachable at {where} (model {settings.llm_model}, answered a 1-token request)"
    except openai.APIError as exc:
        raise _unavailable(exc, settings.llm_base_url) from exc
    if not settings.llm_model:
        return f"reachable at {where}: {len(ids)} model(s); COACH_LLM_MODEL is not set"
    listed = "listed" if settings.llm_model in ids else "not listed; the server may still accept it"
    return f"reachable at {where}: {len(ids)} model(s); model {settings.llm_model} {listed}"
