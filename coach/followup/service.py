"""After a conversation: store the notes first, then summarise them and keep the commitments."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from pydantic import Field

from coach.engine import Engine
from coach.errors import CoachError, InvalidInput, PayloadTooLarge
from coach.followup.linking import competency_linker
from coach.followup.summaries import FollowUpSummary, Participant, draft_summary

MAX_PARTICIPANTS = 20


class StoredSummary(FollowUpSummary):
    """A summary with the ids it was stored under."""

    note_id: str | None = None
    commitment_ids: list[str] = Field(default_factory=list)
    replayed: bool = Field(False, description="True when an Idempotency-Key matched an earlier request.")


def validate_notes(notes: str, meeting_date: date, participants: list[Participant], *, max_chars: int,
                   today: date | None = None) -> None:
    """Reject what cannot be summarised, naming the field and the limit."""
    if len(notes) > max_chars:
        raise PayloadTooLarge(f"notes: {len(notes)} characters is over the limit of {max_chars}", field="notes")
    if not notes.strip():
        raise InvalidInput("notes: must not be empty", field="notes")
    bad = [c for c in notes if (ord(c) < 32 and c not in "\n\r\t") or c == "\ufffd"]
    if bad:
        raise InvalidInput(f"notes: contains {len(bad)} non-text character(s) (control bytes or undecodable data)",
                           field="notes")
    if meeting_date > (today or date.today()):
        raise InvalidInput(f"meeting_date: {meeting_date.isoformat()} is in the future", field="meeting_date")
    if not participants:
        raise InvalidInput("participants: at least one manager and one employee are needed", field="participants")
    if len(participants) > MAX_PARTICIPANTS:
        raise InvalidInput(f"participants: at most {MAX_PARTICIPANTS}", field="participants")
    roles = {p.role for p in participants}
    if "employee" not in roles or "manager" not in roles:
        raise InvalidInput("participants: need one participant with role 'manager' and one with role 'employee'",
                           field="participants")



def summarise_and_store(engine: Engine, store: Any, *, employee_id: str, author_id: str, notes: str,
                        meeting_date: date, participants: list[Participant], idempotency_key: str | None = None,
                        summarise: Callable[..., FollowUpSummary] | None = None) -> StoredSummary:
    """Save the notes, then summarise; a failure after saving leaves the notes stored and marked failed."""
    validate_notes(notes, meeting_date, participants, max_chars=engine.settings.max_notes_chars)
    note, created = store.save_note(employee_id, author_id, meeting_date, notes, idempotency_key=idempotency_key)
    if not created and note.summary_json:
        return _replay(note.summary_json, store, employee_id, note.id)
    # Not created and no summary yet: an earlier try failed, or a retry with the same key is still in flight.
    try:
        summary = (summarise or _assisted_summary(engine))(notes, meeting_date, participants)
    except CoachError as exc:
        if store.get_note(note.id).status != "summarized":  # a concurrent retry may have succeeded meanwhile
            store.mark_note_failed(note.id, exc.message)
            exc.details = {**exc.details, "note_id": note.id, "note_status": "failed"}
        raise
    stored = StoredSummary(**summary.model_dump(), note_id=note.id)
    commitments = [c.model_dump(mode="json") for c in summary.commitments]
    try:
        stored.commitment_ids = store.mark_note_summarized(note.id, stored.model_dump(mode="json"), commitments)
    except InvalidInput:
        # A concurrent retry with the same key stored its summary first (it may even have overtaken the request that
        # created the note): answer with that one, store nothing twice.
        current = store.get_note(note.id)
        if not current.summary_json:
            raise
        return _replay(current.summary_json, store, employee_id, note.id)
    return stored


def _replay(summary_json: dict[str, Any], store: Any, employee_id: str, note_id: str) -> StoredSummary:
    """The stored answer to a retried request, with the ids its commitments were stored under."""
    replay = StoredSummary.model_validate(summary_json)
    replay.replayed = True
    stored = [c for c in store.list_commitments(employee_id) if c.note_id == note_id]
    replay.commitment_ids = _in_summary_order(replay.commitments, stored)
    return replay


def _in_summary_order(commitments: list[Any], stored: list[Any]) -> list[str]:
    """Stored ids in the order of the summary's commitments, as the first answer gave them (listing sorts by due)."""
    left, ids = list(stored), []
    for wanted in commitments:
        match = next((s for s in left if (s.owner, s.action, s.due) == (wanted.owner, wanted.action, wanted.due)), None)
        if match is not None:
            left.remove(match)
            ids.append(match.id)
    return ids + [s.id for s in left]


def _assisted_summary(engine: Engine) -> Callable[..., FollowUpSummary]:
    return lambda notes, meeting_date, participants: summary(engine, notes, meeting_date, participants)


def summary(engine: Engine, notes: str, meeting_date: date, participants: list[Participant]) -> FollowUpSummary:
    """Rules summary; with an LLM configured, its draft is used only if owners, dates and evidence check out."""
    link = competency_linker(engine)
    rules = draft_summary(notes, meeting_date, participants, link_competencies=link)
    if not engine.llm_enabled:
        return rules
    from coach.followup.drafting import llm_summary  # langchain's message classes load only when an LLM is set

    return llm_summary(engine, engine.llm, notes, meeting_date, participants, rules, link_competencies=link)
