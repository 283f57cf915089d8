"""Webhooks for commitments that become overdue: signed JSON POSTs, retried with backoff, each event sent once.

A sweep (`coach webhooks sweep`, e.g. from cron) finds tracked open commitments past due. Each (commitment, due date)
is one event in `webhook_deliveries`: claimed before sending, so it is never sent twice, and a failed one is tried
again by a later sweep at most once a day. The body is signed with HMAC-SHA256 over its raw bytes; the timestamp
header repeats the body's `timestamp`, so a receiver can refuse old replays with a signed value.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Callable
from datetime import date, datetime, timezone

import httpx
from pydantic import BaseModel, Field

from coach.errors import InvalidInput
from coach.settings import Settings
from coach.store import rhythm as rows
from coach.store.records import CommitmentRecord
from coach.store.rhythm import DeliveryRecord
from coach.store.store import Store

EVENT_OVERDUE = "commitment.overdue"
SIGNATURE_HEADER = "X-Coach-Signature"
TIMESTAMP_HEADER = "X-Coach-Timestamp"


class Attempted(BaseModel):
    """How sending one body went."""

    delivered: bool
    attempts: int
    response_status: int | None = None
    error: str | None = None


class SweepReport(BaseModel):
    """What one sweep found and did."""

    today: date
    overdue: int = Field(description="Tracked open commitments past due.")
    delivered: int
    failed: int
    skipped: int = Field(description="Already delivered, or already tried today.")
    deliveries: list[DeliveryRecord] = Field(description="The deliveries this sweep attempted, with their outcome.")


def sign(secret: str, body: bytes) -> str:
    """The X-Coach-Signature value: "sha256=" and the hex HMAC-SHA256 of the raw body."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def verify(secret: str, body: bytes, header: str) -> bool:
    """Whether a signature header matches the body (constant-time); what a receiver does."""
    return hmac.compare_digest(sign(secret, body), header or "")


def post_with_retries(client: httpx.Client, url: str, body: bytes, headers: dict[str, str], *, attempts: int,
                      backoff_s: float, sleep: Callable[[float], None] = time.sleep) -> Attempted:
    """POST until a non-5xx answer: retried on connection errors and 5xx, waiting backoff_s, then twice that, ..."""
    status, error = None, None
    for attempt in range(1, attempts + 1):
        if attempt > 1:
            sleep(backoff_s * 2 ** (attempt - 2))
        try:
            response = client.post(url, content=body, headers=headers)
        except httpx.TransportError as exc:
            status, error = None, f"{type(exc).__name__}: {exc}"[:500]
            continue
        status = response.status_code
        if 200 <= status < 300:
            return Attempted(delivered=True, attempts=attempt, response_status=status)
        error = f"HTTP {status}: {response.text[:300]}"
        if status < 500:
            return Attempted(delivered=False, attempts=attempt, response_status=status, error=error)  # no retry
    return Attempted(delivered=False, attempts=attempts, response_status=status, error=error)


def payload(delivery: DeliveryRecord, commitment: CommitmentRecord, employee: dict[str, str | None],
            today: date, timestamp: int) -> bytes:
    """The event body: compact JSON with sorted keys (the exact bytes that are signed)."""
    due = commitment.due
    body = {
        "event": EVENT_OVERDUE, "delivery_id": delivery.id, "timestamp": timestamp,
        "commitment": {"id": commitment.id, "action": commitment.action, "owner": commitment.owner,
                       "owner_role": commitment.owner_role, "due": due.isoformat() if due else None,
                       "days_overdue": (today - due).days if due else None,
                       "success_indicator": commitment.success_indicator, "note_id": commitment.note_id},
        "employee": employee,
    }
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def overdue_sweep(store: Store, settings: Settings, today: date, *, client: httpx.Client | None = None,
                  sleep: Callable[[float], None] = time.sleep) -> SweepReport:
    """Send one signed event per commitment that became overdue; record every outcome."""
    if not settings.webhook_url or settings.webhook_secret is None:
        raise InvalidInput("webhook_url: set COACH_WEBHOOK_URL and COACH_WEBHOOK_SECRET to send webhooks",
                           field="webhook_url")
    secret = settings.webhook_secret.get_secret_value()
    overdue = rows.overdue_commitments(store, today)
    people = {p.id: p for p in store.list_people()} if overdue else {}
    done: list[DeliveryRecord] = []
    skipped = 0
    own = client is None
    client = client or httpx.Client(timeout=settings.webhook_timeout_s, follow_redirects=False)
    try:
        for commitment in overdue:
            if commitment.due is None:  # never: overdue_commitments returns dated ones only
                continue
            delivery = rows.claim_delivery(store, EVENT_OVERDUE, commitment.id, commitment.due, today)
            if delivery is None:
                skipped += 1
                continue
            person = people.get(commitment.employee_id)
            employee = {"id": commitment.employee_id, "name": person.name if person else None,
                        "manager_id": person.manager_id if person else None}
            timestamp = int(datetime.now(timezone.utc).timestamp())
            body = payload(delivery, commitment, employee, today, timestamp)
            headers = {"Content-Type": "application/json", SIGNATURE_HEADER: sign(secret, body),
                       TIMESTAMP_HEADER: str(timestamp), "X-Coach-Event": EVENT_OVERDUE,
                       "X-Coach-Delivery": delivery.id, "User-Agent": "coach-webhooks"}
            outcome = post_with_retries(client, settings.webhook_url, body, headers,
                                        attempts=settings.webhook_max_attempts, backoff_s=settings.webhook_backoff_s,
                                        sleep=sleep)
            done.append(rows.finish_delivery(store, delivery.id, delivered=outcome.delivered,
                                             attempts=outcome.attempts, response_status=outcome.response_status,
                                             error=outcome.error))
    finally:
        if own:
            client.close()
    delivered = sum(d.status == "delivered" for d in done)
    return SweepReport(today=today, overdue=len(overdue), delivered=delivered, failed=len(done) - delivered,
                       skipped=skipped, deliveries=done)
