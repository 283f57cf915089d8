"""Plain pydantic records the store returns, so callers never hold ORM objects or sessions."""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

NoteStatus = Literal["received", "summarized", "failed"]
CommitmentStatus = Literal["open", "done", "dropped"]
Review = Literal["proposed", "confirmed", "rejected"]
NOTE_STATUSES: tuple[str, ...] = ("received", "summarized", "failed")
COMMITMENT_STATUSES: tuple[str, ...] = ("open", "done", "dropped")
REVIEWS: tuple[str, ...] = ("proposed", "confirmed", "rejected")
ActionStatus = Literal["not_started", "in_progress", "done", "dropped"]
ACTION_STATUSES: tuple[str, ...] = ("not_started", "in_progress", "done", "dropped")


class _Record(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    @field_validator("*", mode="after")
    @classmethod
    def _utc(cls, value: Any) -> Any:
        # SQLite hands back naive datetimes; everything the store writes is UTC.
        if isinstance(value, datetime) and value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value


class PersonRecord(_Record):
    """A person in the organisation and their reporting line."""

    id: str
    name: str
    email: str | None = None
    manager_id: str | None = None
    role_id: str | None = Field(None, description="A knowledge role id, e.g. data-analyst.")
    created_at: datetime


class TokenRecord(_Record):
    """An API token's metadata; the token itself is never stored."""

    id: int
    principal_role: str
    person_id: str | None = None
    label: str
    created_at: datetime
    revoked_at: datetime | None = None
    expires_at: datetime | None = None
    last_used_at: datetime | None = None


class NoteRecord(_Record):
    """Meeting notes as stored before any summarising, with the summary once there is one."""

    id: str
    employee_id: str
    author_id: str
    meeting_date: date
    text: str
    created_at: datetime
    idempotency_key: str | None = None
    status: NoteStatus
    error: str | None = None
    summary_json: dict[str, Any] | None = None
    request_hash: str | None = Field(None, description="sha256 of the canonical request, for Idempotency-Key replays.")
    participants: list[dict[str, Any]] | None = None
    confirmed_at: datetime | None = Field(None, description="When the author confirmed the summary; None: a draft.")
    confirmed_by: str | None = None


class CommitmentRecord(_Record):
    """An agreed action kept for follow-up; `overdue` is computed against the caller's today."""

    id: str
    employee_id: str
    note_id: str | None = None
    owner: str | None = None
    action: str
    due: date | None = None
    success_indicator: str | None = None
    competency_ids: list[str] = Field(default_factory=list)
    evidence: str = ""
    status: CommitmentStatus
    review: Review = Field("confirmed", description="proposed (a draft, not tracked), confirmed (tracked) or rejected.")
    created_by: str | None = Field(None, description="Who wrote it: a person id, or 'admin'.")
    owner_role: str | None = Field(None, description="The owner's role among the participants.")
    proposed: dict[str, Any] | None = Field(None, description="What the engine proposed; None when a person added it.")
    created_at: datetime
    updated_at: datetime
    overdue: bool = Field(False, description="Open and due before today.")


class CommitmentEvent(_Record):
    """One entry of a commitment's history: a creation (from_status None) or a status change."""

    id: int
    commitment_id: str
    at: datetime
    from_status: str | None = None
    to_status: str
    by_person_id: str | None = None
    comment: str | None = None
    changes: dict[str, Any] | None = Field(None, description="Field edits as {field: [before, after]}.")


class MapRecord(_Record):
    """A stored development map (the payload is DevelopmentMap JSON)."""

    id: str
    employee_id: str
    created_by: str
    created_at: datetime
    payload: dict[str, Any]


class ActionProgressRecord(_Record):
    """Where one action of a stored development map stands."""

    map_id: str
    action_index: int = Field(description="Position of the action in the map's `actions`, from 0.")
    status: ActionStatus
    evidence: str | None = Field(None, description="What shows the progress, in the person's words.")
    updated_at: datetime
    updated_by: str | None = Field(None, description="Who set it: a person id, or 'admin'.")


class CommitmentIn(BaseModel):
    """A commitment as the summary pipeline hands it over; extra keys (e.g. due_phrase) are ignored."""

    model_config = ConfigDict(extra="ignore")

    owner: str | None = Field(None, max_length=200)
    action: str = Field(min_length=1, max_length=2000)
    due: date | None = None
    success_indicator: str | None = Field(None, max_length=2000)
    competency_ids: list[str] = Field(default_factory=list, max_length=20)
    evidence: str = Field("", max_length=5000)
    status: CommitmentStatus = "open"
    owner_role: str | None = Field(None, max_length=16)
