"""Never block on a model: the rules summary answers at once, the LLM's refinement runs as a background job.

A local model on a few CPU cores takes minutes per summary (measured: see the README), so `POST /v1/summaries`
stores the notes, answers with the rules summary and a `refinement` {id, status}, and a worker thread asks the
model. The job lives in the database (coach/store/jobs.py), so any API process can answer its status. A model
that is down, slow or answers garbage ends the job `failed` with the reason; the rules summary stays as stored.
"""

from __future__ import annotations

import time
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date
from threading import Lock

from pydantic import BaseModel

from coach.engine import Engine
from coach.errors import CoachError, LLMOutputInvalid, LLMUnavailable
from coach.followup.linking import competency_linker
from coach.followup.service import StoredSummary, rules_summary, summarise_and_store
from coach.followup.summaries import Author, FollowUpSummary, Participant
from coach.store.jobs import JobRecord, JobStatus, create_job, get_job, update_job
from coach.store.store import Store

_executor: ThreadPoolExecutor | None = None
_executor_lock = Lock()


class Refinement(BaseModel):
    """Where the LLM's refinement of a summary stands."""

    id: str
    status: JobStatus


class RefinedSummary(StoredSummary):
    """The rules summary as stored, with the background refinement to poll (null without an LLM)."""

    refinement: Refinement | None = None


class RefinementJobView(BaseModel):
    """A job's status; when done, the merged summary (rules + model); when failed, why."""

    id: str
    note_id: str
    status: JobStatus
    reason: str | None = None
    summary: FollowUpSummary | None = None


def _worker() -> ThreadPoolExecutor:
    # One worker: a local server generates one answer at a time, and a second request would only queue there
    # (and an abandoned one keeps generating), so jobs queue here instead, visibly.
    global _executor
    with _executor_lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="coach-refine")
        return _executor


def summarise_with_refinement(engine: Engine, store: Store, *, employee_id: str, author_id: str, notes: str,
                              meeting_date: date, participants: list[Participant],
                              idempotency_key: str | None = None, author: Author = "manager") -> RefinedSummary:
    """Store the notes, answer with the rules summary, and queue the LLM refinement when an LLM is configured."""

    def rules(text: str, meeting: date, people: list[Participant]) -> FollowUpSummary:
        return rules_summary(engine, text, meeting, people, author=author)

    stored = summarise_and_store(engine, store, employee_id=employee_id, author_id=author_id, notes=notes,
                                 meeting_date=meeting_date, participants=participants,
                                 idempotency_key=idempotency_key, summarise=rules, author=author)
    result = RefinedSummary(**stored.model_dump())
    if not engine.llm_enabled or stored.replayed or stored.note_id is None:
        return result
    job = create_job(store, stored.note_id, employee_id)
    base = FollowUpSummary.model_validate(stored.model_dump(include=set(FollowUpSummary.model_fields)))
    submit_refinement(engine, store, job.id, notes, meeting_date, participants, base, author=author)
    result.refinement = Refinement(id=job.id, status=job.status)
    return result


def submit_refinement(engine: Engine, store: Store, job_id: str, notes: str, meeting_date: date,
                      participants: list[Participant], rules: FollowUpSummary, *,
                      author: Author = "manager") -> Future[None]:
    """Run the job on the background worker."""
    return _worker().submit(run_refinement, engine, store, job_id, notes, meeting_date, participants, rules,
                            author=author)


def run_refinement(engine: Engine, store: Store, job_id: str, notes: str, meeting_date: date,
                   participants: list[Participant], rules: FollowUpSummary, *, author: Author = "manager") -> None:
    """Ask the model, merge, record done or failed; never raises (nobody would hear it on a worker thread)."""
    from coach.followup.drafting import llm_commitments, refine_summary  # langchain loads only with an LLM
    from coach.llm.drafting import rejection_reason

    try:
        update_job(store, job_id, "running")
        try:
            draft = llm_commitments(engine.llm, notes, meeting_date, participants)
        except (LLMUnavailable, LLMOutputInvalid) as exc:
            update_job(store, job_id, "failed", reason=rejection_reason(exc))
            return
        merged = refine_summary(rules, draft, notes, meeting_date, participants, competency_linker(engine),
                                allow_removals=engine.settings.llm_summary_removals, author=author)
        update_job(store, job_id, "done", reason=merged.llm_rejected, summary_json=merged.model_dump(mode="json"))
    except CoachError as exc:
        _record_failure(store, job_id, exc.message)
    except Exception as exc:  # noqa: BLE001 - a worker thread has no caller: record the failure on the job instead
        _record_failure(store, job_id, f"refinement failed: {type(exc).__name__}: {exc}")


def _record_failure(store: Store, job_id: str, reason: str) -> None:
    try:
        update_job(store, job_id, "failed", reason=reason)
    except CoachError:
        pass  # the database itself is gone; the job stays as it was and the rules summary is stored


def job_view(job: JobRecord) -> RefinementJobView:
    """What the API shows of a job."""
    summary = FollowUpSummary.model_validate(job.summary_json) if job.summary_json and job.status == "done" else None
    return RefinementJobView(id=job.id, note_id=job.note_id, status=job.status, reason=job.reason, summary=summary)


def wait_for_job(store: Store, job_id: str, *, timeout_s: float, poll_s: float = 0.2) -> JobRecord:
    """Poll until the job is done or failed, or `timeout_s` passes (then its current state)."""
    deadline = time.monotonic() + timeout_s
    while True:
        job = get_job(store, job_id)
        if job.status in ("done", "failed") or time.monotonic() >= deadline:
            return job
        time.sleep(poll_s)
