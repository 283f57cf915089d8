"""A person's calendar feed: upcoming career conversations, development-map check-ins and open commitments' dues."""

from __future__ import annotations

from datetime import date, datetime

from coach.errors import NotFound
from coach.rhythm.cadence import refreshed
from coach.rhythm.ics import Event, render
from coach.store import rhythm as rows
from coach.store.auth import Principal, require_access
from coach.store.store import Store

UID_DOMAIN = "coach.invalid"  # a reserved domain: UIDs are unique without claiming anyone's


def _sessions(store: Store, person_id: str, today: date) -> list[Event]:
    """The person's own next session and, for a manager, the next session with each report."""
    own = rows.cadences_where(store, employee_ids=[person_id])
    theirs = rows.cadences_where(store, manager_id=person_id)
    fresh = refreshed(store, [*own, *(c for c in theirs if c.employee_id != person_id)])
    names = rows.people_names(store, {i for r, _ in fresh for i in (r.employee_id, r.manager_id)})
    events = []
    for record, last in fresh:
        other = record.manager_id if record.employee_id == person_id else record.employee_id
        late = f"Overdue since {record.next_session.isoformat()}. " if record.next_session < today else ""
        since = f"Last conversation: {last.isoformat()}." if last else "No conversation on file yet."
        every = f" (every {record.every_days} days)" if record.every_days else ""
        # One UID per pair: when a conversation is filed the event moves instead of a second one appearing.
        events.append(Event(uid=f"session-{record.employee_id}@{UID_DOMAIN}",
                            day=record.next_session,
                            summary=f"Career conversation with {names.get(other, other)}",
                            description=f"{late}Cadence: {record.kind}{every}. {since}"))
    return events


def _check_ins(store: Store, person_id: str) -> list[Event]:
    """The check-ins of the person's latest development map."""
    maps = store.list_maps(person_id)
    if not maps:
        return []
    latest = maps[0]
    target = (latest.payload.get("target_role") or {}).get("title") or "development plan"
    events = []
    for index, check_in in enumerate(latest.payload.get("check_ins") or []):
        try:
            day = date.fromisoformat(str(check_in.get("date")))
        except ValueError:
            continue  # a map stored by hand with a bad date: leave that check-in out, keep the feed
        events.append(Event(uid=f"checkin-{latest.id}-{index}@{UID_DOMAIN}", day=day,
                            summary=f"Development check-in: {target}", description=str(check_in.get("focus") or "")))
    return events


def _commitments(store: Store, person_id: str, today: date) -> list[Event]:
    """The person's open, tracked commitments that have a due date."""
    events = []
    for c in store.list_commitments(person_id, status="open", today=today):
        if c.due is None:
            continue
        action = " ".join(c.action.split())
        details = [f"Owner: {c.owner}" if c.owner else "", f"Success: {c.success_indicator}" if c.success_indicator
                   else "", "Overdue." if c.overdue else ""]
        events.append(Event(uid=f"commitment-{c.id}@{UID_DOMAIN}", day=c.due,
                            summary=f"Due: {action[:120]}{'…' if len(action) > 120 else ''}",
                            description="\n".join(d for d in details if d)))
    return events


def calendar_feed(store: Store, principal: Principal, person_id: str, *, today: date | None = None,
                  now: datetime | None = None) -> str:
    """The person's iCalendar (RFC 5545) feed; the same access rule as their records."""
    require_access(principal, person_id)
    person = store.get_person(person_id)
    if person is None:
        raise NotFound(f"person_id: no person '{person_id}' in the store", field="person_id")
    today = today or date.today()
    events = [*_sessions(store, person_id, today), *_check_ins(store, person_id),
              *_commitments(store, person_id, today)]
    return render(events, name=f"Coach: {person.name}", now=now)
