"""What a manager's team page and a person's page show: next check-in, open and overdue commitments, last talk.

The web app and any other client read these views; they go through the same access rule as the API.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from coach.errors import NotFound
from coach.rhythm.cadence import refresh_next_session
from coach.store.auth import Principal, require_access
from coach.store.records import CommitmentRecord, MapRecord, NoteRecord, PersonRecord
from coach.store.store import Store


class TeamMember(BaseModel):
    """One row of a manager's team: where the career conversation with this person stands."""

    person: PersonRecord
    direct: bool = Field(description="Reports to the viewer directly (else through someone else).")
    manager_name: str | None = None
    last_conversation: date | None = None
    next_check_in: date | None = None
    next_check_in_from: str | None = Field(None, description="'summary', 'cadence' or 'development map'.")
    check_in_overdue: bool = False
    open_commitments: int = 0
    overdue_commitments: int = 0
    drafts_to_confirm: int = Field(0, description="Summaries still waiting for the author's confirmation.")


class PersonOverview(BaseModel):
    """A person's page: their row, commitments, summaries and maps, newest first."""

    member: TeamMember
    open_commitments: list[CommitmentRecord]
    closed_commitments: list[CommitmentRecord]
    notes: list[NoteRecord]
    maps: list[MapRecord]


def _next_check_in(store: Store, person_id: str, notes: list[NoteRecord], maps: list[MapRecord],
                   today: date) -> tuple[date | None, str | None]:
    """The check-in the last summary agreed; else the pair's cadence; else the development map's next one."""
    for note in notes:
        agreed = (note.summary_json or {}).get("next_check_in")
        if agreed:
            return date.fromisoformat(agreed), "summary"
    cadence = refresh_next_session(store, person_id)
    if cadence is not None:
        return cadence.next_session, "cadence"
    if maps:
        dates = sorted(date.fromisoformat(c["date"]) for c in maps[0].payload.get("check_ins", []))
        upcoming = [d for d in dates if d >= today]
        if upcoming:
            return upcoming[0], "development map"
    return None, None


def _member(store: Store, person: PersonRecord, viewer: Principal, names: dict[str, str], today: date,
            notes: list[NoteRecord], maps: list[MapRecord], open_items: list[CommitmentRecord]) -> TeamMember:
    next_date, source = _next_check_in(store, person.id, notes, maps, today)
    last_talk = notes[0].meeting_date if notes else None
    return TeamMember(
        person=person, direct=person.manager_id is not None and person.manager_id == viewer.person_id,
        manager_name=names.get(person.manager_id or ""), last_conversation=last_talk, next_check_in=next_date,
        next_check_in_from=source, check_in_overdue=next_date is not None and next_date < today,
        open_commitments=len(open_items), overdue_commitments=sum(c.overdue for c in open_items),
        drafts_to_confirm=sum(n.status == "summarized" and n.confirmed_at is None for n in notes))


def team(store: Store, viewer: Principal, *, today: date | None = None) -> list[TeamMember]:
    """The viewer's reports (direct first, then indirect; admins see everyone), each with where things stand."""
    today = today or date.today()
    people = store.list_people()
    names = {p.id: p.name for p in people}
    if viewer.role == "admin":
        visible = people
    else:
        visible = [p for p in people if p.id in viewer.reports]
    rows = [_member(store, p, viewer, names, today, store.list_notes(p.id), store.list_maps(p.id),
                    store.list_commitments(p.id, status="open", today=today)) for p in visible]
    rows.sort(key=lambda r: (not r.direct, not (r.overdue_commitments or r.check_in_overdue), r.person.name))
    return rows


def person_overview(store: Store, viewer: Principal, person_id: str, *, today: date | None = None) -> PersonOverview:
    """One person's page, for themselves, their managers up the line, or an admin."""
    require_access(viewer, person_id)
    today = today or date.today()
    person = store.get_person(person_id)
    if person is None:
        raise NotFound(f"person_id: no person '{person_id}'", field="person_id")
    names = {p.id: p.name for p in store.list_people()}
    notes, maps = store.list_notes(person_id), store.list_maps(person_id)
    commitments = store.list_commitments(person_id, today=today)
    open_items = [c for c in commitments if c.status == "open"]
    closed = sorted((c for c in commitments if c.status != "open"), key=lambda c: c.updated_at, reverse=True)
    member = _member(store, person, viewer, names, today, notes, maps, open_items)
    return PersonOverview(member=member, open_commitments=open_items, closed_commitments=closed[:20], notes=notes,
                          maps=maps)
