"""After a conversation: store the notes first, then summarise them and keep the commitments."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from datetime import date
from typing import Any

from pydantic import Field

from coach.engine import Engine
from coach.errors import CoachError, InvalidInput, PayloadTooLarge
from coach.followup.linking import competency_linker
from coach.followup.summaries import Author, FollowUpSummary, Participant, draft_summary, render_summary

MAX_PARTICIPANTS = 20
# Characters that render as nothing: notes made only of these (and whitespace) are empty.
_INVISIBLE = re.compile(r"[\u200b-\u200f\u2028-\u202f\u2060-\u206f\ufeff\u00ad\u180e\s]")
# Control characters other than tab and line breaks, DEL and the C1 controls: never text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


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
    if not _INVISIBLE.sub("", notes):
        raise InvalidInput("notes: must not be empty (only whitespace or invisible characters such as zero-width "
                           "spaces or a byte-order mark)", field="notes")
    bad = [c for c in notes if _CONTROL.match(c) or c == "\ufffd"]
    if bad:
        raise InvalidInput(f"notes: contains {len(bad)} non-text character(s) (control bytes or undecodable data)",
                           field="notes")
    if meeting_date > (today or date.today()):
        raise InvalidInput(f"meeting_date: {meeting_date.isoformat()} is in the future", field="meeting_date")
    for index, person in enumerate(participants):
        check_text(person.name, f"participants.{index}.name")
        if not _INVISIBLE.sub("", person.name):
            raise InvalidInput(f"participants.{index}.name: must not be empty", field=f"participants.{index}.name")
    if not participants:
        raise InvalidInput("participants: at least one manager and one employee are needed", field="participants")
    if len(participants) > MAX_PARTICIPANTS:
        raise InvalidInput(f"participants: at most {MAX_PARTICIPANTS}", field="participants")
    roles = {p.role for p in participants}
    if "employee" not in roles or "manager" not in roles:
        raise InvalidInput("participants: need one participant with role 'manager' and one with role 'employee'",
                           field="participants")


def check_text(text: str | None, field: str) -> None:
    """InvalidInput naming `field` when the text holds control characters (NUL and the like)."""
    if text is not None and _CONTROL.search(text):
        raise InvalidInput(f"{field}: contains a control character; only tab and line breaks are allowed",
                           field=field)


def request_hash(employee_id: str, meeting_date: date, notes: str, participants: list[Participant]) -> str:
    """sha256 of the canonical request: an Idempotency-Key replay must send the very same request."""
    canonical = {"employee_id": employee_id, "meeting_date": meeting_date.isoformat(), "notes": notes,
                 "participants": [p.model_dump(mode="json") for p in participants]}
    return hashlib.sha256(json.dumps(canonical, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def owner_role(owner: str | None, participants: list[Participant] | list[dict[str, Any]]) -> str | None:
    """The owner's role among the participants (manager, employee, other), or None when unknown."""
    if owner is None:
        return None
    for person in participants:
        name, role = (person.name, person.role) if isinstance(person, Participant) else (person["name"], person["role"])
        if name.casefold() == owner.casefold():
            return role
    return None


def tracked_commitments(commitments: list[Any], *, cap: int) -> list[Any]:
    """Commitments deduplicated (same owner and action) and capped: a repeated line is one commitment."""
    seen: set[tuple[str, str]] = set()
    kept = []
    for item in commitments:
        key = ((item.owner or "").casefold(), " ".join(item.action.casefold().split()))
        if key in seen:
            continue
        seen.add(key)
        kept.append(item)
        if len(kept) >= cap:
            break
    return kept


def summarise_and_store(engine: Engine, store: Any, *, employee_id: str, author_id: str, notes: str,
                        meeting_date: date, participants: list[Participant], idempotency_key: str | None = None,
                        summarise: Callable[..., FollowUpSummary] | None = None,
                        author: Author = "manager") -> StoredSummary:
    """Save the notes, then summarise; a failure after saving leaves the notes stored and marked failed."""
    validate_notes(notes, meeting_date, participants, max_chars=engine.settings.max_notes_chars)
    note, created = store.save_note(employee_id, author_id, meeting_date, notes, idempotency_key=idempotency_key,
                                    participants=[p.model_dump(mode="json") for p in participants],
                                    request_hash=request_hash(employee_id, meeting_date, notes, participants))
    if not created and note.summary_json:
        return _replay(note.summary_json, store, employee_id, note.id)
    # Not created and no summary yet: an earlier try failed, or a retry with the same key is still in flight.
    return _summarise_note(engine, store, note.id, employee_id, notes, meeting_date, participants, summarise, author)


def retry_note(engine: Engine, store: Any, note_id: str,
               summarise: Callable[..., FollowUpSummary] | None = None) -> StoredSummary:
    """Summarise stored notes again (failed, or stuck in 'received' after a crash): `coach notes retry ID`."""
    note = store.get_note(note_id)
    if not note.participants:
        raise InvalidInput(f"note_id: note {note_id} was stored without its participants (before 0002); "
                           "send it again with POST /v1/summaries", field="note_id")
    store.reset_note_for_retry(note_id)
    participants = [Participant.model_validate(p) for p in note.participants]
    return _summarise_note(engine, store, note.id, note.employee_id, note.text, note.meeting_date, participants,
                           summarise)


def _summarise_note(engine: Engine, store: Any, note_id: str, employee_id: str, notes: str, meeting_date: date,
                    participants: list[Participant], summarise: Callable[..., FollowUpSummary] | None,
                    author: Author = "manager") -> StoredSummary:
    """Summarise stored notes and store the draft; a failure marks the notes failed and keeps them."""
    # Not created and no summary yet: an earlier try failed, or a retry with the same key is still in flight.
    try:
        summary = (summarise or _assisted_summary(engine, author))(notes, meeting_date, participants)
    except CoachError as exc:
        if store.get_note(note_id).status != "summarized":  # a concurrent retry may have succeeded meanwhile
            store.mark_note_failed(note_id, exc.message)
            exc.details = {**exc.details, "note_id": note_id, "note_status": "failed"}
        raise
    kept = tracked_commitments(summary.commitments, cap=engine.settings.max_commitments_per_summary)
    if len(kept) != len(summary.commitments):
        summary = render_summary(summary.model_copy(update={"commitments": kept}), participants=participants,
                                 meeting_date=meeting_date)
    stored = StoredSummary(**summary.model_dump(), note_id=note_id)
    commitments = [{**c.model_dump(mode="json"), "owner_role": owner_role(c.owner, participants)}
                   for c in summary.commitments]
    try:
        stored.commitment_ids = store.mark_note_summarized(note_id, stored.model_dump(mode="json"), commitments)
    except InvalidInput:
        # A concurrent retry with the same key stored its summary first (it may even have overtaken the request that
        # created the note): answer with that one, store nothing twice.
        current = store.get_note(note_id)
        if not current.summary_json:
            raise
        return _replay(current.summary_json, store, employee_id, note_id)
    return stored


def _replay(summary_json: dict[str, Any], store: Any, employee_id: str, note_id: str) -> StoredSummary:
    """The stored answer to a retried request, with the ids its commitments were stored under."""
    replay = StoredSummary.model_validate(summary_json)
    replay.replayed = True
    stored = [c for c in store.note_commitments(note_id) if c.proposed is not None]
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


def _assisted_summary(engine: Engine, author: Author = "manager") -> Callable[..., FollowUpSummary]:
    return lambda notes, meeting_date, participants: summary(engine, notes, meeting_date, participants, author=author)


def rules_summary(engine: Engine, notes: str, meeting_date: date, participants: list[Participant], *,
                  author: Author = "manager") -> FollowUpSummary:
    """The summary without an LLM: the rules extractor, then the learned judge's finds (when COACH_NOTES_JUDGE)."""
    rules = draft_summary(notes, meeting_date, participants, link_competencies=competency_linker(engine),
                          author=author)
    if not engine.settings.notes_judge:
        return rules
    from coach.followup.judged import add_judged_commitments

    return add_judged_commitments(rules, notes, meeting_date, participants, embedder=engine.embeddings, author=author)


def summary(engine: Engine, notes: str, meeting_date: date, participants: list[Participant], *,
            author: Author = "manager") -> FollowUpSummary:
    """Rules summary; with an LLM configured, its draft is used only if owners, dates and evidence check out.
    `author` (manager, employee or shared) is who wrote the notes: whom "I" means."""
    rules = rules_summary(engine, notes, meeting_date, participants, author=author)
    if not engine.llm_enabled:
        return rules
    from coach.followup.drafting import llm_summary  # langchain's message classes load only when an LLM is set

    return llm_summary(engine, engine.llm, notes, meeting_date, participants, rules,
                       link_competencies=competency_linker(engine), author=author)
