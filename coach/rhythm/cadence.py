"""How often a manager and a report meet: the next session from the last conversation (or the anchor), overdue pairs.

The next session is stored with the cadence, and recomputed from the notes on every read here, so it is never stale;
`refresh_next_session` is the hook to call after notes are filed.
"""

from __future__ import annotations

import calendar
from datetime import date

from pydantic import BaseModel, Field

from coach.errors import Forbidden, InvalidInput, NotFound
from coach.store import rhythm as rows
from coach.store.auth import Principal, require_access
from coach.store.rhythm import CadenceKind, CadenceRecord
from coach.store.store import Store

MONTHS = {"quarterly": 3, "twice-a-year": 6}
MIN_DAYS, MAX_DAYS = 14, 366


class CadencePublic(CadenceRecord):
    """A cadence with where the pair stands today."""

    last_session: date | None = Field(None, description="The latest note's meeting date, if any notes are on file.")
    overdue: bool = Field(description="The next session's date has passed.")
    days_until: int = Field(description="Days from today to the next session (negative when overdue).")


class OverdueSession(BaseModel):
    """A pair whose session is past due."""

    employee_id: str
    employee_name: str
    kind: CadenceKind
    next_session: date
    last_session: date | None = None
    days_overdue: int = Field(ge=1)


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clipped to the end of a shorter month (Jan 31 + 1 month = Feb 28/29)."""
    years, month0 = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, month0 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_session(kind: str, every_days: int | None, anchor: date, last_session: date | None) -> date:
    """One interval after the later of the last conversation and the anchor."""
    base = max(anchor, last_session) if last_session else anchor
    if kind == "custom":
        return date.fromordinal(base.toordinal() + (every_days or 0))
    return add_months(base, MONTHS[kind])


def check_kind(kind: str, every_days: int | None) -> None:
    """InvalidInput unless `every_days` is given exactly for kind 'custom', within 14 to 366."""
    if kind not in ("quarterly", "twice-a-year", "custom"):
        raise InvalidInput(f"kind: must be quarterly, twice-a-year or custom, got '{kind}'", field="kind")
    if kind == "custom" and (every_days is None or not MIN_DAYS <= every_days <= MAX_DAYS):
        raise InvalidInput(f"every_days: kind 'custom' needs every_days from {MIN_DAYS} to {MAX_DAYS}",
                           field="every_days")
    if kind != "custom" and every_days is not None:
        raise InvalidInput(f"every_days: only for kind 'custom' ({kind} is fixed)", field="every_days")


def refreshed(store: Store, records: list[CadenceRecord]) -> list[tuple[CadenceRecord, date | None]]:
    """The cadences with next_session recomputed from the notes (changes are stored), each with its last session."""
    last = rows.last_meetings(store, [r.employee_id for r in records])
    fresh, changes = [], []
    for record in records:
        when = next_session(record.kind, record.every_days, record.anchor, last.get(record.employee_id))
        if when != record.next_session:
            changes.append((record, when))
            record = record.model_copy(update={"next_session": when})
        fresh.append((record, last.get(record.employee_id)))
    rows.set_next_sessions(store, changes)
    return fresh


def refresh_next_session(store: Store, employee_id: str) -> CadenceRecord | None:
    """Recompute and store the employee's next session from their latest notes; None when they have no cadence."""
    record = rows.get_cadence(store, employee_id)
    return refreshed(store, [record])[0][0] if record else None


def _public(record: CadenceRecord, last: date | None, today: date) -> CadencePublic:
    days = record.next_session.toordinal() - today.toordinal()
    return CadencePublic(**record.model_dump(), last_session=last, overdue=days < 0, days_until=days)


def _manager_of(store: Store, employee_id: str, manager_id: str | None) -> str:
    person = store.get_person(employee_id)
    if person is None:
        raise NotFound(f"employee_id: no person '{employee_id}' in the store", field="employee_id")
    manager = manager_id or person.manager_id
    if manager is None:
        raise InvalidInput(f"manager_id: {employee_id} has no manager on file; name the manager of this pair",
                           field="manager_id")
    if manager == employee_id or employee_id not in store.reports_of(manager):
        raise InvalidInput(f"manager_id: {employee_id} does not report to '{manager}'", field="manager_id")
    return manager


def set_cadence(store: Store, principal: Principal, employee_id: str, kind: str, every_days: int | None = None,
                anchor: date | None = None, manager_id: str | None = None, *, today: date | None = None
                ) -> CadencePublic:
    """Set (or replace) the employee's cadence with their manager; the next session is computed at once."""
    require_access(principal, employee_id)
    check_kind(kind, every_days)
    today = today or date.today()
    manager = _manager_of(store, employee_id, manager_id)
    last = rows.last_meetings(store, [employee_id]).get(employee_id)
    anchor = anchor or last or today  # from the last conversation on file: a pair that is already late shows it
    record = rows.put_cadence(store, employee_id, manager, kind, every_days, anchor,
                              next_session(kind, every_days, anchor, last))
    return _public(record, last, today)


def get_cadence(store: Store, principal: Principal, employee_id: str, *, today: date | None = None) -> CadencePublic:
    """The employee's cadence, brought up to date with their notes; NotFound when none is set."""
    require_access(principal, employee_id)
    record = rows.get_cadence(store, employee_id)
    if record is None:
        raise NotFound(f"employee_id: no cadence set for '{employee_id}'; set one with PUT .../cadence",
                       field="employee_id")
    fresh, last = refreshed(store, [record])[0]
    return _public(fresh, last, today or date.today())


def overdue_sessions(store: Store, principal: Principal, manager_id: str, *,
                     today: date | None = None) -> list[OverdueSession]:
    """The manager's pairs whose next session has passed, most overdue first (a manager only for themself)."""
    if principal.role != "admin" and principal.person_id != manager_id:
        raise Forbidden("you may list overdue sessions only for yourself", field="manager_id")
    today = today or date.today()
    fresh = refreshed(store, rows.cadences_where(store, manager_id=manager_id))
    late = [(r, last) for r, last in fresh if r.next_session < today]
    names = rows.people_names(store, [r.employee_id for r, _ in late])
    items = [OverdueSession(employee_id=r.employee_id, employee_name=names.get(r.employee_id, r.employee_id),
                            kind=r.kind, next_session=r.next_session, last_session=last,
                            days_overdue=today.toordinal() - r.next_session.toordinal()) for r, last in late]
    return sorted(items, key=lambda s: (-s.days_overdue, s.employee_id))
