"""Scripted LLM fakes for tests: they subclass the real interfaces and record every call."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatResult
from pydantic import BaseModel

from coach.llm.provider import LLMProvider, RawOutputError, T


class ScriptedLLM(LLMProvider):
    """A provider that answers from a queue: dicts are parsed into the schema, strings are unparsable, exceptions are raised."""

    name = "scripted"

    def __init__(self, *answers: Any) -> None:
        self.queue: list[Any] = list(answers)
        self.history: list[tuple[list[BaseMessage], type[BaseModel]]] = []

    def enqueue(self, *answers: Any) -> "ScriptedLLM":
        self.queue.extend(answers)
        return self

    def generate(self, messages: list[BaseMessage], schema: type[T]) -> T:
        self.history.append((list(messages), schema))
        if not self.queue:
            raise AssertionError("ScriptedLLM: no answer left in the queue")
        answer = self.queue.pop(0)
        if isinstance(answer, BaseException):
            raise answer
        if isinstance(answer, str):
            try:
                return schema.model_validate_json(answer)
            except ValueError as exc:
                raise RawOutputError(f"the answer is not valid {schema.__name__} JSON: {exc}", answer) from exc
        if isinstance(answer, BaseModel):
            answer = answer.model_dump(mode="json")
        return schema.model_validate(answer)

    @property
    def calls(self) -> int:
        return len(self.history)


class ToolCallingFakeChatModel(GenericFakeChatModel):
    """langchain-core's fake chat model plus bind_tools, so with_structured_output works; records its inputs."""

    received: list[list[BaseMessage]] = []

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> "ToolCallingFakeChatModel":
        return self

    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None, run_manager: Any = None,
                  **kwargs: Any) -> ChatResult:
        self.received.append(list(messages))
        return super()._generate(messages, stop=stop, run_manager=run_manager, **kwargs)


def tool_answer(name: str, args: dict) -> AIMessage:
    """An assistant message that calls the structured-output tool `name` with `args`."""
    return AIMessage(content="", tool_calls=[{"name": name, "args": args, "id": "call-1", "type": "tool_call"}])


def fake_chat(*answers: AIMessage | str | Exception) -> ToolCallingFakeChatModel:
    """A fake chat model answering with the given messages (strings become plain text answers) in order."""

    def stream():
        for answer in answers:
            if isinstance(answer, Exception):
                raise answer
            yield AIMessage(content=answer) if isinstance(answer, str) else answer

    return ToolCallingFakeChatModel(messages=stream(), received=[])


def dump(model: BaseModel) -> str:
    """The JSON a model would send for `model`."""
    return json.dumps(model.model_dump(mode="json"))


__all__ = ["ScriptedLLM", "ToolCallingFakeChatModel", "dump", "fake_chat", "tool_answer"]
