"""Summaries a person corrects: a stored summary is a draft until confirmed; every change is kept in the history.

Rule of ownership: an employee never acts for their manager. A commitment the employee's notes give to the manager
stays proposed until someone with the manager's authority confirms it, and an employee can neither close, edit nor
reject one that was confirmed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from coach.errors import Forbidden, InvalidInput
from coach.followup.service import check_text, owner_role
from coach.store.auth import Principal, require_access
from coach.store.jobs import latest_job_for_note
from coach.store.records import REVIEWS, CommitmentEvent, CommitmentRecord, NoteRecord
from coach.store.store import Store

if TYPE_CHECKING:
    from coach.engine import Engine

EDITABLE_FIELDS = ("owner", "action", "due", "success_indicator")
EXCERPT_CHARS = 200


def acts_for(principal: Principal, role: str | None) -> bool:
    """Whether the principal may confirm or close a commitment whose owner has this role."""
    return not (principal.role == "employee" and role == "manager")


def _who(principal: Principal) -> str:
    return principal.person_id or "admin"


def _note(store: Store, principal: Principal, note_id: str) -> NoteRecord:
    note = store.get_note(note_id)
    require_access(principal, note.employee_id)
    return note


def _owner_fields(store: Store, note_id: str | None, fields: dict[str, Any]) -> dict[str, Any]:
    """Checks text fields; an owner must be a participant, and its role is looked up for the ownership rule."""
    for name in ("owner", "action", "success_indicator"):
        check_text(fields.get(name), name)
    if "owner" not in fields:
        return fields
    participants = (store.get_note(note_id).participants if note_id else None) or []
    role = owner_role(fields["owner"], participants)
    if fields["owner"] is not None and role is None and participants:
        names = ", ".join(p["name"] for p in participants)
        raise InvalidInput(f"owner: must be one of the participants ({names}) or null", field="owner")
    return {**fields, "owner_role": role}


def _note_json(note: NoteRecord) -> dict[str, Any]:
    """The note as the API shows it: without the summary (shown beside it) and the request hash."""
    return note.model_dump(mode="json", exclude={"summary_json", "request_hash"})


def excerpt(note: NoteRecord, limit: int = EXCERPT_CHARS) -> str:
    """The start of the summary's recap, or of the notes while there is no summary."""
    recap = (note.summary_json or {}).get("recap")
    text = " ".join(recap) if isinstance(recap, list) else recap if isinstance(recap, str) else ""
    text = " ".join((text or note.text).split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def note_list(store: Store, principal: Principal, employee_id: str) -> list[dict[str, Any]]:
    """The employee's notes, newest meeting first, each with an excerpt and its commitments counted by review."""
    require_access(principal, employee_id)
    counts = store.review_counts(employee_id)
    return [{"id": n.id, "meeting_date": n.meeting_date.isoformat(), "author_id": n.author_id, "status": n.status,
             "created_at": n.created_at.isoformat(), "confirmed": n.confirmed_at is not None,
             "excerpt": excerpt(n), "commitments": counts.get(n.id, dict.fromkeys(REVIEWS, 0))}
            for n in store.list_notes(employee_id)]


def note_view(store: Store, principal: Principal, note_id: str) -> dict[str, Any]:
    """The notes, their summary and every commitment (proposed, confirmed, rejected), each with its history."""
    note = _note(store, principal, note_id)
    return {"note": _note_json(note),
            "summary": note.summary_json,
            "confirmed": note.confirmed_at is not None,
            "commitments": [with_history(store, c) for c in store.note_commitments(note_id)]}


def with_history(store: Store, commitment: CommitmentRecord) -> dict[str, Any]:
    """A commitment as JSON with its history."""
    history: list[CommitmentEvent] = store.commitment_history(commitment.id)
    return {**commitment.model_dump(mode="json"), "history": [e.model_dump(mode="json") for e in history]}


def edit_commitment(store: Store, principal: Principal, commitment_id: str, *, fields: dict[str, Any],
                    status: str | None = None, comment: str | None = None) -> CommitmentRecord:
    """Edit owner, action, due, success indicator and/or status; an employee never acts for their manager."""
    current = store.get_commitment(commitment_id)
    require_access(principal, current.employee_id)
    check_text(comment, "comment")
    fields = _owner_fields(store, current.note_id, fields)
    role_after = fields.get("owner_role", current.owner_role)
    review = None
    if not acts_for(principal, current.owner_role) and current.review == "confirmed":
        field = "status" if status is not None else next(iter(fields), "commitment_id")
        raise Forbidden(f"{field}: this commitment is owned by the manager; only the manager can change or close it",
                        field=field)
    if not acts_for(principal, role_after):
        if status not in (None, current.status):
            raise Forbidden("status: a commitment owned by the manager is closed by the manager", field="status")
        review = "proposed" if current.review == "confirmed" else None  # the manager must confirm it again
    return store.update_commitment(commitment_id, _who(principal), fields=fields, status=status, review=review,
                                   comment=comment)


def add_commitment(store: Store, principal: Principal, note_id: str, item: dict[str, Any],
                   comment: str | None = None) -> CommitmentRecord:
    """A commitment the engine missed; tracked at once only if the summary is confirmed and the principal may."""
    note = _note(store, principal, note_id)
    check_text(comment, "comment")
    item = _owner_fields(store, note_id, {"owner": None, **item})
    confirmed = note.confirmed_at is not None and acts_for(principal, item.get("owner_role"))
    return store.add_commitment(note_id, item, _who(principal), review="confirmed" if confirmed else "proposed",
                                comment=comment)


def reject_commitment(store: Store, principal: Principal, commitment_id: str,
                      comment: str | None = None) -> CommitmentRecord:
    """Mark a wrong commitment rejected: kept with its history, never tracked."""
    current = store.get_commitment(commitment_id)
    require_access(principal, current.employee_id)
    check_text(comment, "comment")
    if not acts_for(principal, current.owner_role) and current.review == "confirmed":
        raise Forbidden("commitment_id: this commitment is owned by the manager; only the manager can reject it",
                        field="commitment_id")
    return store.update_commitment(commitment_id, _who(principal), review="rejected", comment=comment or "rejected")


def confirm_commitment(store: Store, principal: Principal, commitment_id: str) -> CommitmentRecord:
    """Confirm one commitment (a manager confirming what an employee's notes gave them)."""
    current = store.get_commitment(commitment_id)
    require_access(principal, current.employee_id)
    if not acts_for(principal, current.owner_role):
        raise Forbidden("commitment_id: a commitment owned by the manager needs the manager's confirmation",
                        field="commitment_id")
    if current.review == "confirmed":
        return current
    return store.update_commitment(commitment_id, _who(principal), review="confirmed", comment="confirmed")


def confirm_note(store: Store, principal: Principal, note_id: str) -> list[CommitmentRecord]:
    """Confirm a summary: its proposed commitments become tracked, except the ones the principal may not confirm."""
    _note(store, principal, note_id)
    return store.confirm_note(note_id, _who(principal), may_confirm=lambda role: acts_for(principal, role))


def model_suggestions(store: Store, principal: Principal, note_id: str) -> dict[str, Any] | None:
    """The LLM refinement of a note, for the person reviewing the draft: its status, and when done the commitments
    the model found that the draft does not have yet (each can be added as it is or edited first)."""
    _note(store, principal, note_id)
    job = latest_job_for_note(store, note_id)
    if job is None:
        return None
    have = {" ".join(c.action.lower().split()) for c in store.note_commitments(note_id)}
    extra = [c for c in ((job.summary_json or {}).get("commitments") or [])
             if " ".join(str(c.get("action", "")).lower().split()) not in have]
    return {"status": job.status, "reason": job.reason, "created_at": job.created_at, "commitments": extra}


def confirm_and_link(engine: Engine, store: Store, principal: Principal, note_id: str) -> list[CommitmentRecord]:
    """Confirm a summary, then link the feedback it records to the competencies it gives evidence of."""
    from coach.feedback.evidence import link_summary_feedback  # the embeddings load only when a summary is confirmed

    confirmed = confirm_note(store, principal, note_id)
    link_summary_feedback(engine, store, note_id, _who(principal))
    return confirmed
