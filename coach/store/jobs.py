"""Refinement jobs in the database: created queued, then running, then done (with the summary) or failed (why)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict
from sqlalchemy import select

from coach.store.models import RefinementJob, utcnow
from coach.store.store import Store

JobStatus = Literal["queued", "running", "done", "failed"]


class JobRecord(BaseModel):
    """A refinement job as the API shows it."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    note_id: str
    employee_id: str
    status: JobStatus
    reason: str | None = None
    summary_json: dict[str, Any] | None = None
    created_at: datetime
    updated_at: datetime


def create_job(store: Store, note_id: str, employee_id: str) -> JobRecord:
    """A new queued job for a stored note."""
    with store._session(write=True) as session:
        now = utcnow()
        row = RefinementJob(id=str(uuid.uuid4()), note_id=note_id, employee_id=employee_id, status="queued",
                            created_at=now, updated_at=now)
        session.add(row)
        session.flush()
        return JobRecord.model_validate(row)


def get_job(store: Store, job_id: str) -> JobRecord:
    """The job, or NotFound naming job_id."""
    with store._session() as session:
        return JobRecord.model_validate(Store._get(session, RefinementJob, job_id, "job_id"))


def latest_job_for_note(store: Store, note_id: str) -> JobRecord | None:
    """The newest refinement job of a note, or None when no LLM was asked."""
    with store._session() as session:
        row = session.scalars(select(RefinementJob).where(RefinementJob.note_id == note_id)
                              .order_by(RefinementJob.created_at.desc()).limit(1)).first()
        return JobRecord.model_validate(row) if row is not None else None


def update_job(store: Store, job_id: str, status: JobStatus, *, reason: str | None = None,
               summary_json: dict[str, Any] | None = None) -> None:
    """Move the job to `status`, with the reason (failed, or what was dropped) and the merged summary (done)."""
    with store._session(write=True) as session:
        row = Store._get(session, RefinementJob, job_id, "job_id")
        row.status, row.reason, row.updated_at = status, (reason or None) and reason[:2000], utcnow()
        if summary_json is not None:
            row.summary_json = summary_json
