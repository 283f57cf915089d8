"""The Store: people, tokens, notes, commitments and maps over SQLAlchemy (SQLite by default, PostgreSQL by URL)."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import secrets
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import Date, Engine, create_engine, event, func, literal, select, text, tuple_
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError, NoSuchModuleError
from sqlalchemy.orm import Session, aliased
from sqlalchemy.pool import StaticPool

from coach.errors import InvalidInput, NotFound, StorageUnavailable
from coach.store.auth import PRINCIPAL_ROLES, Principal
from coach.store.models import (
    ApiToken, Commitment, CommitmentEventRow, DevelopmentMapRow, MapActionProgressRow, MentorProfile, Note, Person,
    utcnow,
)
from coach.store.records import (
    ACTION_STATUSES, COMMITMENT_STATUSES, REVIEWS, ActionProgressRecord, CommitmentEvent, CommitmentIn,
    CommitmentRecord, MapRecord, NoteRecord, PersonRecord, TokenRecord,
)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_REVISION = re.compile(r"^(down_revision|revision)\s*(?::[^=]*)?=\s*['\"]?([\w.-]+|None)['\"]?\s*$", re.M)


def head_revision() -> str | None:
    """The one migration no other migration follows, read from the files; None when that is not one revision."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        found = dict(_REVISION.findall(path.read_text(encoding="utf-8")))
        if "revision" not in found:
            return None
        revisions.add(found["revision"])
        if found.get("down_revision", "None") != "None":
            parents.add(found["down_revision"])
    heads = revisions - parents
    return next(iter(heads)) if len(heads) == 1 else None
TOKEN_PREFIX = "coach_"
PERSON_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
MAX_ID_CHARS = 64
MAX_KEY_CHARS = 200
MAX_PAGE = 200
MAX_EVIDENCE_CHARS = 2000
EDITABLE = ("owner", "action", "due", "success_indicator", "owner_role")
_NO_DUE = date(9999, 12, 31)  # sorts commitments without a due date last, in SQLite and PostgreSQL alike
_LAST_USED_EVERY_S = 60  # last-used time is written at most once a minute per token: no write per request
_WRITE = "coach_write"  # execution option: this transaction will write (SQLite takes the write lock up front)
# PostgreSQL advisory lock ids: every process migrates and seeds at start, so those steps take turns.
_SCHEMA_LOCK, _PEOPLE_LOCK = 0x636F6163_68, 0x636F6163_69


class _SeedPerson(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1, max_length=MAX_ID_CHARS, pattern=PERSON_ID.pattern)
    name: str = Field(min_length=1, max_length=200)
    email: str | None = Field(None, max_length=320)
    manager: str | None = Field(None, max_length=MAX_ID_CHARS)
    role: str | None = Field(None, max_length=MAX_ID_CHARS)
    # Optional, for mentor suggestions; a person without them is simply not a mentor.
    mentor: bool | None = Field(None, description="True: agrees to mentor people in the organisation.")
    mentor_topics: list[Annotated[str, Field(pattern=PERSON_ID.pattern, max_length=MAX_ID_CHARS)]] | None = Field(
        None, max_length=30, description="Competency ids they offer to mentor on (default: any they qualify for).")
    ratings: dict[Annotated[str, Field(pattern=PERSON_ID.pattern, max_length=MAX_ID_CHARS)],
                  Annotated[int, Field(ge=1, le=5)]] | None = Field(
        None, max_length=50, description="Their own competency levels: competency id -> 1..5.")

    @property
    def has_profile(self) -> bool:
        return self.mentor is not None or self.mentor_topics is not None or self.ratings is not None


class _SeedFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    people: list[_SeedPerson]


def _aware(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything the store writes is UTC."""
    return value if value.tzinfo is not None else value.replace(tzinfo=timezone.utc)


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _decode_cursor(cursor: str) -> tuple[date, datetime, str]:
    """The (due, created_at, id) a cursor continues after; a cursor that was not ours is a 422 naming it."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        due, created, ident = json.loads(raw)
        return date.fromisoformat(due), datetime.fromisoformat(created), str(ident)
    except (ValueError, TypeError, UnicodeDecodeError) as exc:
        raise InvalidInput("cursor: not a cursor this API returned; use next_cursor from the previous page",
                           field="cursor") from exc


def hash_token(token: str) -> str:
    """sha256 hex of a token: the only form a token is stored in."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class Store:
    """All persistence behind plain methods that take and return pydantic records."""

    def __init__(self, url: str, *, busy_timeout_s: float = 5.0, echo: bool = False) -> None:
        try:
            self.url = make_url(url)
        except ArgumentError as exc:
            raise StorageUnavailable(f"database_url: cannot parse the URL ({exc}); use e.g. sqlite:///path/coach.db "
                                     "or postgresql+psycopg://user:pass@host/db", field="database_url") from exc
        self.busy_timeout_s = busy_timeout_s
        self._safe_url = self.url.render_as_string(hide_password=True)
        self._opened = False  # set by the first connection: from then on a vanished SQLite file is an outage
        self._engine = self._create_engine(echo)

    # --- engine and sessions ------------------------------------------------------------------------

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    @property
    def sqlite_path(self) -> Path | None:
        """The database file for a file-backed SQLite URL, else None."""
        db = self.url.database
        if not self.is_sqlite or not db or db == ":memory:" or db.startswith("file:"):
            return None
        return Path(db)

    def _create_engine(self, echo: bool) -> Engine:
        try:
            if not self.is_sqlite:
                return create_engine(self.url, echo=echo, pool_pre_ping=True)
            memory = self.sqlite_path is None
            engine = create_engine(
                self.url, echo=echo,
                # The API serves requests from a thread pool; one connection per checkout, never shared at once.
                connect_args={"check_same_thread": False, "timeout": self.busy_timeout_s},
                **({"poolclass": StaticPool} if memory else {"pool_size": 10, "max_overflow": 20}),
            )
        except (NoSuchModuleError, ModuleNotFoundError, ArgumentError) as exc:
            raise StorageUnavailable(f"database_url: cannot use {self._safe_url}: {exc} (is its driver, e.g. psycopg, "
                                     "installed?)", field="database_url") from exc
        busy_ms = int(self.busy_timeout_s * 1000)

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn: Any, _record: Any) -> None:
            # Let SQLAlchemy's "begin" event emit BEGIN itself, so writers can take the lock up front.
            dbapi_conn.isolation_level = None
            self._opened = True
            cursor = dbapi_conn.cursor()
            if not memory:
                cursor.execute("PRAGMA journal_mode=WAL")  # readers never wait for the writer
                cursor.execute("PRAGMA synchronous=NORMAL")  # durable enough with WAL, much faster
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={busy_ms}")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Any) -> None:
            # A deferred transaction that reads, then writes, fails at once with SQLITE_BUSY if another writer
            # committed in between (the busy timeout does not apply); BEGIN IMMEDIATE waits for the lock instead.
            conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(_WRITE) else "BEGIN")

        return engine

    def _unavailable(self, exc: Exception) -> StorageUnavailable:
        detail = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        hint = ("locked by another writer; retry shortly" if "locked" in detail or "busy" in detail
                else "check COACH_DATABASE_URL / COACH_DATA_DIR and run `coach doctor`")
        return StorageUnavailable(f"database {self._safe_url} is unavailable ({detail}): {hint}",
                                  details={"error": detail})

    @contextmanager
    def _session(self, *, write: bool = False) -> Iterator[Session]:
        """One transaction: commit on success, full rollback on any error; driver errors become StorageUnavailable."""
        self._check_file()
        try:
            with Session(self._engine, expire_on_commit=False, autoflush=True) as session:
                session.connection(execution_options={_WRITE: write})
                yield session
                session.commit()
        except IntegrityError:
            raise
        except DBAPIError as exc:
            raise self._unavailable(exc) from exc

    # --- lifecycle -------------------------------------------------------------------------------------

    def migrate(self) -> None:
        """Create or upgrade the schema to the newest migration (alembic upgrade head); creates the data dir."""
        if self.sqlite_path is not None:
            self.sqlite_path.parent.mkdir(parents=True, exist_ok=True)
        if self._at_head():
            return  # the common case at every start: no need to load alembic (a few hundred ms)
        from alembic import command
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
        try:
            with self._engine.connect() as conn:
                conn.execution_options(**{_WRITE: True})
                with conn.begin():
                    self._take_turns(conn, _SCHEMA_LOCK)
                    cfg.attributes["connection"] = conn
                    command.upgrade(cfg, "head")
        except DBAPIError as exc:
            raise self._unavailable(exc) from exc

    def _at_head(self) -> bool:
        """True when the database records the newest migration already (read without alembic); False if unsure."""
        head = head_revision()
        if head is None:
            return False
        try:
            with self._engine.connect() as conn:
                rows = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
        except DBAPIError:
            return False  # no table yet (a new database) or no database: alembic creates or reports it
        return rows == [head]

    def _take_turns(self, conn: Any, lock_id: int) -> None:
        """On PostgreSQL, wait for other processes doing the same step; released at commit (SQLite: BEGIN IMMEDIATE)."""
        if not self.is_sqlite:
            conn.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": lock_id})

    def ping(self) -> None:
        """Raise StorageUnavailable unless the database answers (and, for SQLite, its file still exists)."""
        with self._session() as session:
            session.execute(select(1)).scalar_one()

    def _check_file(self) -> None:
        """StorageUnavailable when a file-backed SQLite database was deleted under the running process."""
        path = self.sqlite_path
        if self._opened and path is not None and not path.exists():
            # A pooled SQLite connection keeps working on a deleted file and would lose every write: refuse, and drop
            # the pool so that connections opened after a re-setup see the new file.
            self._engine.dispose()
            raise StorageUnavailable(f"database {self._safe_url} is unavailable (the file {path} is gone): "
                                     "check COACH_DATA_DIR and run `coach setup-local`")

    def close(self) -> None:
        """Close every pooled connection."""
        self._engine.dispose()

    # --- people ----------------------------------------------------------------------------------------

    def upsert_person(self, id: str, name: str, *, email: str | None = None, manager_id: str | None = None,
                      role_id: str | None = None) -> PersonRecord:
        """Create or update one person; the manager must exist and must not be one of their reports."""
        item = self._seed_item({"id": id, "name": name, "email": email, "manager": manager_id, "role": role_id},
                               where="person")
        with self._session(write=True) as session:
            self._write_people(session, [item])
            return PersonRecord.model_validate(session.get(Person, id))

    def get_person(self, person_id: str) -> PersonRecord | None:
        """The person, or None."""
        with self._session() as session:
            row = session.get(Person, person_id)
            return PersonRecord.model_validate(row) if row else None

    def list_people(self) -> list[PersonRecord]:
        """Everyone, by id."""
        with self._session() as session:
            return [PersonRecord.model_validate(r) for r in session.scalars(select(Person).order_by(Person.id))]

    def reports_of(self, person_id: str, *, transitive: bool = True) -> set[str]:
        """Ids of the person's direct reports, and with transitive=True their reports too (cycle-safe)."""
        with self._session() as session:
            return self._reports(session, person_id, transitive=transitive)

    @staticmethod
    def _reports(session: Session, person_id: str, *, transitive: bool) -> set[str]:
        direct = select(Person.id).where(Person.manager_id == person_id)
        if not transitive:
            return set(session.scalars(direct))
        tree = direct.cte("tree", recursive=True)
        below = aliased(Person)
        # UNION (not UNION ALL) drops repeats, so a cycle in the data still terminates.
        tree = tree.union(select(below.id).where(below.manager_id == tree.c.id))
        return set(session.scalars(select(tree.c.id))) - {person_id}

    def seed_people(self, path: Path) -> int:
        """Upsert everyone in a YAML file `people: [{id, name, email, manager, role}]`; returns how many.

        Optional per person: `mentor: true`, `mentor_topics: [competency ids]`, `ratings: {competency id: 1..5}`.
        """
        try:
            data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise InvalidInput(f"seed_people_file: cannot read {path}: {exc}", field="seed_people_file") from exc
        try:
            items = _SeedFile.model_validate(data).people
        except ValidationError as exc:
            first = exc.errors()[0]
            loc = ".".join(str(p) for p in first["loc"])
            raise InvalidInput(f"seed_people_file: {path}: {loc}: {first['msg']}", field="seed_people_file") from exc
        ids = [p.id for p in items]
        if len(ids) != len(set(ids)):
            dupes = sorted({i for i in ids if ids.count(i) > 1})
            raise InvalidInput(f"seed_people_file: {path}: duplicate id(s) {', '.join(dupes)}",
                               field="seed_people_file")
        with self._session(write=True) as session:
            self._write_people(session, items)
            self._write_mentor_profiles(session, items)
        return len(items)

    @staticmethod
    def _write_mentor_profiles(session: Session, items: list[_SeedPerson]) -> None:
        """The file decides for the people it lists: their mentor profile follows it, and goes when it has none."""
        for item in items:
            row = session.get(MentorProfile, item.id)
            if not item.has_profile:
                if row is not None:
                    session.delete(row)
                continue
            if row is None:
                row = MentorProfile(person_id=item.id)
                session.add(row)
            row.agreed, row.topics = bool(item.mentor), list(item.mentor_topics or [])
            row.ratings, row.updated_at = dict(item.ratings or {}), utcnow()
        session.flush()

    @staticmethod
    def _seed_item(values: dict[str, Any], *, where: str) -> _SeedPerson:
        try:
            return _SeedPerson.model_validate(values)
        except ValidationError as exc:
            first = exc.errors()[0]
            name = {"manager": "manager_id", "role": "role_id"}.get(str(first["loc"][0]), str(first["loc"][0]))
            raise InvalidInput(f"{name}: {first['msg']}", field=name) from exc

    def _write_people(self, session: Session, items: list[_SeedPerson]) -> None:
        """Insert/update people, then set managers, so a file may list reports before their manager."""
        self._take_turns(session, _PEOPLE_LOCK)  # two servers seeding the same file must not both insert a person
        managers = {p.id: p.manager_id for p in session.execute(select(Person.id, Person.manager_id))}
        managers.update({p.id: p.manager for p in items})
        for item in items:
            if item.manager is not None and item.manager not in managers:
                raise InvalidInput(f"manager_id: '{item.manager}' (manager of '{item.id}') is not a known person",
                                   field="manager_id")
            seen, current = {item.id}, item.manager
            while current is not None:
                if current in seen:
                    raise InvalidInput(f"manager_id: '{item.id}' would be in their own reporting line",
                                       field="manager_id")
                seen.add(current)
                current = managers.get(current)
        for item in items:
            row = session.get(Person, item.id)
            if row is None:
                row = Person(id=item.id, created_at=utcnow())
                session.add(row)
            row.name, row.email, row.role_id = item.name, item.email, item.role
        session.flush()
        for item in items:
            session.get(Person, item.id).manager_id = item.manager  # type: ignore[union-attr]
        session.flush()

    # --- tokens ------------------------------------------------------------------------------------------

    def create_token(self, principal_role: str, person_id: str | None, label: str = "",
                     expires_at: datetime | None = None) -> str:
        """A new token, returned once in plain text; only its sha256 is stored; refused after `expires_at`."""
        if principal_role not in PRINCIPAL_ROLES:
            raise InvalidInput(f"principal_role: must be one of {', '.join(PRINCIPAL_ROLES)}", field="principal_role")
        if principal_role != "admin" and not person_id:
            raise InvalidInput("person_id: required for manager and employee tokens", field="person_id")
        if len(label) > 200:
            raise InvalidInput("label: at most 200 characters", field="label")
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        with self._session(write=True) as session:
            if person_id is not None and session.get(Person, person_id) is None:
                raise InvalidInput(f"person_id: no person '{person_id}' in the store", field="person_id")
            session.add(ApiToken(token_hash=hash_token(token), principal_role=principal_role, person_id=person_id,
                                 label=label, created_at=utcnow(), expires_at=expires_at))
        return token

    def authenticate(self, token: str) -> Principal | None:
        """The principal behind a valid, unrevoked, unexpired token (managers with their reports), else None."""
        if not token or len(token) > 200:
            return None
        now = utcnow()
        with self._session() as session:
            row = session.scalars(select(ApiToken).where(ApiToken.token_hash == hash_token(token))).first()
            if row is None or row.revoked_at is not None or (row.expires_at and _aware(row.expires_at) <= now):
                return None
            principal = self._principal(session, row.principal_role, row.person_id, token_id=row.id)
            stale = row.last_used_at is None or (now - _aware(row.last_used_at)).total_seconds() > _LAST_USED_EVERY_S
        if stale:
            with self._session(write=True) as session:
                session.get(ApiToken, principal.token_id).last_used_at = now  # type: ignore[union-attr]
        return principal

    @classmethod
    def _principal(cls, session: Session, role: str, person_id: str | None, *, token_id: int | None = None) -> Principal:
        """The principal for a role and person, a manager with their reports as they stand now."""
        reports = cls._reports(session, person_id, transitive=True) if role == "manager" and person_id else set()
        return Principal(role=role, person_id=person_id, reports=frozenset(reports), token_id=token_id)

    def revoke_token(self, token_id: int) -> None:
        """Revoke a token by id (see list_tokens or Principal.token_id); revoking twice is harmless."""
        with self._session(write=True) as session:
            row = session.get(ApiToken, token_id)
            if row is None:
                raise NotFound(f"token_id: no token {token_id}", field="token_id")
            if row.revoked_at is None:
                row.revoked_at = utcnow()

    def list_tokens(self) -> list[TokenRecord]:
        """Every token's metadata (never the token)."""
        with self._session() as session:
            rows = session.scalars(select(ApiToken).order_by(ApiToken.id))
            return [TokenRecord.model_validate(r) for r in rows]

    # --- notes ---------------------------------------------------------------------------------------------

    def save_note(self, employee_id: str, author_id: str, meeting_date: date, text: str,
                  idempotency_key: str | None = None, *, participants: list[dict[str, Any]] | None = None,
                  request_hash: str | None = None) -> tuple[NoteRecord, bool]:
        """Store notes; (note, created). The same author and key returns the earlier note, even when concurrent."""
        if idempotency_key is not None and not 1 <= len(idempotency_key) <= MAX_KEY_CHARS:
            raise InvalidInput(f"idempotency_key: 1 to {MAX_KEY_CHARS} characters", field="idempotency_key")
        if not author_id or len(author_id) > MAX_ID_CHARS:
            raise InvalidInput(f"author_id: 1 to {MAX_ID_CHARS} characters", field="author_id")
        try:
            with self._session(write=True) as session:
                if idempotency_key is not None:
                    existing = self._note_by_key(session, author_id, idempotency_key)
                    if existing is not None:
                        return self._replay(existing, employee_id, meeting_date, text, request_hash), False
                if session.get(Person, employee_id) is None:
                    raise NotFound(f"employee_id: no person '{employee_id}' in the store", field="employee_id")
                note = Note(id=str(uuid.uuid4()), employee_id=employee_id, author_id=author_id,
                            meeting_date=meeting_date, text=text, created_at=utcnow(),
                            idempotency_key=idempotency_key, status="received", participants=participants,
                            request_hash=request_hash)
                session.add(note)
                session.flush()
                record = self._note_record(note)
        except IntegrityError:
            # Another request with the same key committed first (PostgreSQL; SQLite serialises writers): use its note.
            if idempotency_key is None:
                raise
            with self._session() as session:
                existing = self._note_by_key(session, author_id, idempotency_key)
                if existing is None:
                    raise
                return self._replay(existing, employee_id, meeting_date, text, request_hash), False
        return record, True

    @staticmethod
    def _note_by_key(session: Session, author_id: str, key: str) -> Note | None:
        return session.scalars(select(Note).where(Note.author_id == author_id, Note.idempotency_key == key)).first()

    def _replay(self, note: Note, employee_id: str, meeting_date: date, text: str,
                request_hash: str | None) -> NoteRecord:
        # The whole request must match (participants included), not only the notes: a hash when both sides have one.
        same_hash = request_hash is None or note.request_hash is None or note.request_hash == request_hash
        if (note.employee_id, note.meeting_date, note.text) != (employee_id, meeting_date, text) or not same_hash:
            raise InvalidInput("idempotency_key: this Idempotency-Key was already used for a different request (employee, "
                               "date, notes or participants differ); send a new key",
                               field="idempotency_key")
        return self._note_record(note)

    @staticmethod
    def _note_record(note: Note) -> NoteRecord:
        return NoteRecord.model_validate(note)

    def get_note(self, note_id: str) -> NoteRecord:
        """The note, or NotFound."""
        with self._session() as session:
            return self._note_record(self._get(session, Note, note_id, "note_id"))

    def list_notes(self, employee_id: str) -> list[NoteRecord]:
        """An employee's notes, newest meeting first."""
        with self._session() as session:
            rows = session.scalars(select(Note).where(Note.employee_id == employee_id)
                                   .order_by(Note.meeting_date.desc(), Note.created_at.desc(), Note.id))
            return [self._note_record(r) for r in rows]

    def review_counts(self, employee_id: str) -> dict[str, dict[str, int]]:
        """Per note of the employee, how many commitments are proposed, confirmed and rejected (one query)."""
        query = (select(Commitment.note_id, Commitment.review, func.count())
                 .where(Commitment.employee_id == employee_id, Commitment.note_id.is_not(None))
                 .group_by(Commitment.note_id, Commitment.review))
        counts: dict[str, dict[str, int]] = {}
        with self._session() as session:
            for note_id, review, n in session.execute(query):
                counts.setdefault(note_id, dict.fromkeys(REVIEWS, 0))[review] = n
        return counts

    def mark_note_summarized(self, note_id: str, summary_json: dict[str, Any],
                             commitments: list[dict[str, Any]]) -> list[str]:
        """Store the summary and its commitments (proposed: a draft) in one transaction; returns the new ids."""
        with self._session(write=True) as session:
            # Locked: a retry on another server summarising the same note at once waits, then sees it summarized.
            note = self._get(session, Note, note_id, "note_id", lock=True)
            if note.status == "summarized":
                raise InvalidInput(f"note_id: note {note_id} is already summarized", field="note_id")
            now = utcnow()
            note.status, note.error, note.summary_json = "summarized", None, summary_json
            session.flush()
            ids = []
            for index, raw in enumerate(commitments):
                # Validated one by one inside the transaction: a bad item rolls back everything before it.
                item = self._commitment_in(raw, index)
                row = Commitment(id=str(uuid.uuid4()), employee_id=note.employee_id, note_id=note.id,
                                 owner=item.owner, action=item.action, due=item.due,
                                 success_indicator=item.success_indicator, competency_ids=item.competency_ids,
                                 evidence=item.evidence, status=item.status, created_at=now, updated_at=now,
                                 review="proposed", created_by=note.author_id, owner_role=item.owner_role,
                                 proposed=item.model_dump(mode="json", exclude={"status"}))
                session.add(row)
                session.flush()
                session.add(CommitmentEventRow(commitment_id=row.id, at=now, from_status=None, to_status=item.status,
                                               by_person_id=note.author_id, comment="proposed from the notes",
                                               changes={"review": [None, "proposed"]}))
                ids.append(row.id)
            session.flush()
            return ids

    @staticmethod
    def _commitment_in(raw: dict[str, Any], index: int) -> CommitmentIn:
        try:
            return CommitmentIn.model_validate(raw)
        except ValidationError as exc:
            first = exc.errors()[0]
            field = f"commitments[{index}]." + ".".join(str(p) for p in first["loc"])
            raise InvalidInput(f"{field}: {first['msg']}", field=field) from exc

    def mark_note_failed(self, note_id: str, error: str) -> None:
        """Keep the notes, record why summarising failed."""
        with self._session(write=True) as session:
            note = self._get(session, Note, note_id, "note_id")
            note.status, note.error = "failed", error[:2000]

    # --- commitments --------------------------------------------------------------------------------------------

    def stuck_notes(self, older_than: timedelta, *, now: datetime | None = None) -> list[NoteRecord]:
        """Notes still 'received' after `older_than`: a crash came between storing and summarising."""
        cutoff = (now or utcnow()) - older_than
        with self._session() as session:
            rows = session.scalars(select(Note).where(Note.status == "received", Note.created_at < cutoff)
                                   .order_by(Note.created_at, Note.id))
            return [self._note_record(r) for r in rows]

    def failed_notes(self) -> list[NoteRecord]:
        """Notes whose summarising failed (including ones the start-up sweep marked stale)."""
        with self._session() as session:
            rows = session.scalars(select(Note).where(Note.status == "failed").order_by(Note.created_at, Note.id))
            return [self._note_record(r) for r in rows]

    def sweep_stuck_notes(self, older_than: timedelta, *, now: datetime | None = None) -> list[str]:
        """Mark notes stuck in 'received' as failed with the reason; returns their ids (`coach notes retry ID`)."""
        cutoff = (now or utcnow()) - older_than
        minutes = int(older_than.total_seconds() // 60)
        with self._session(write=True) as session:
            rows = list(session.scalars(select(Note).where(Note.status == "received", Note.created_at < cutoff)))
            for row in rows:
                row.status = "failed"
                row.error = (f"stale: still 'received' after {minutes} minutes (the process stopped while "
                             f"summarising); run `coach notes retry {row.id}`")
            return [r.id for r in rows]

    def reset_note_for_retry(self, note_id: str) -> NoteRecord:
        """Put a failed (or stuck) note back to 'received' so it can be summarised again."""
        with self._session(write=True) as session:
            note = self._get(session, Note, note_id, "note_id")
            if note.status == "summarized":
                raise InvalidInput(f"note_id: note {note_id} is already summarized", field="note_id")
            note.status, note.error = "received", None
            session.flush()
            return self._note_record(note)

    # --- commitments --------------------------------------------------------------------------------------------

    @staticmethod
    def _commitment_record(row: Commitment, today: date) -> CommitmentRecord:
        record = CommitmentRecord.model_validate(row)
        overdue = (record.status == "open" and record.review == "confirmed" and record.due is not None
                   and record.due < today)
        return record.model_copy(update={"overdue": overdue})

    def list_commitments(self, employee_id: str, status: str | None = None, *, today: date | None = None,
                         review: str | None = "confirmed", limit: int | None = None,
                         cursor: str | None = None) -> list[CommitmentRecord]:
        """An employee's tracked (confirmed) commitments, soonest due first, each with `overdue`.

        `review=None` lists drafts and rejected ones too. With `limit`, one page after `cursor` (see page_cursor).
        """
        if status is not None and status not in COMMITMENT_STATUSES:
            raise InvalidInput(f"status: must be one of {', '.join(COMMITMENT_STATUSES)}", field="status")
        if review is not None and review not in REVIEWS:
            raise InvalidInput(f"review: must be one of {', '.join(REVIEWS)}", field="review")
        due_key = func.coalesce(Commitment.due, literal(_NO_DUE, Date))
        query = select(Commitment).where(Commitment.employee_id == employee_id)
        if status is not None:
            query = query.where(Commitment.status == status)
        if review is not None:
            query = query.where(Commitment.review == review)
        if cursor is not None:
            due, created, ident = _decode_cursor(cursor)
            # Keyset paging: rows inserted meanwhile never shift a page (no repeats, no gaps).
            query = query.where(tuple_(due_key, Commitment.created_at, Commitment.id) > tuple_(
                literal(due, Date), literal(created, Commitment.created_at.type), literal(ident)))
        query = query.order_by(due_key, Commitment.created_at, Commitment.id)
        if limit is not None:
            query = query.limit(limit)
        with self._session() as session:
            return [self._commitment_record(r, today or date.today()) for r in session.scalars(query)]

    @staticmethod
    def page_cursor(record: CommitmentRecord) -> str:
        """The opaque cursor that continues a commitments list after `record`."""
        raw = json.dumps([(record.due or _NO_DUE).isoformat(), record.created_at.isoformat(), record.id])
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    def note_commitments(self, note_id: str, *, today: date | None = None) -> list[CommitmentRecord]:
        """Every commitment of one note's summary (proposed, confirmed and rejected), in the order stored."""
        with self._session() as session:
            self._get(session, Note, note_id, "note_id")
            rows = session.scalars(select(Commitment).where(Commitment.note_id == note_id)
                                   .order_by(Commitment.created_at, Commitment.id))
            return [self._commitment_record(r, today or date.today()) for r in rows]

    def get_commitment(self, commitment_id: str, *, today: date | None = None) -> CommitmentRecord:
        """The commitment, or NotFound."""
        with self._session() as session:
            return self._commitment_record(self._get(session, Commitment, commitment_id, "commitment_id"),
                                           today or date.today())

    def update_commitment_status(self, commitment_id: str, status: str, by_person_id: str | None,
                                 comment: str | None = None, *, today: date | None = None) -> CommitmentRecord:
        """Set the status and append the change (every call, even open->open with a comment) to the history."""
        return self.update_commitment(commitment_id, by_person_id, status=status, comment=comment, today=today)

    def update_commitment(self, commitment_id: str, by_person_id: str | None, *, fields: dict[str, Any] | None = None,
                          status: str | None = None, review: str | None = None, comment: str | None = None,
                          today: date | None = None) -> CommitmentRecord:
        """Edit fields, status and review in one step; the history keeps each field's before and after."""
        if status is not None and status not in COMMITMENT_STATUSES:
            raise InvalidInput(f"status: must be one of {', '.join(COMMITMENT_STATUSES)}, got '{status}'",
                               field="status")
        if review is not None and review not in REVIEWS:
            raise InvalidInput(f"review: must be one of {', '.join(REVIEWS)}", field="review")
        if comment is not None and len(comment) > 2000:
            raise InvalidInput("comment: at most 2000 characters", field="comment")
        fields = fields or {}
        unknown = sorted(set(fields) - set(EDITABLE))
        if unknown:
            raise InvalidInput(f"{unknown[0]}: not an editable field", field=unknown[0])
        with self._session(write=True) as session:
            row = self._get(session, Commitment, commitment_id, "commitment_id", lock=True)  # history stays a chain
            self._validate_edit(row, fields)
            now = utcnow()
            changes: dict[str, Any] = {}
            for name, value in fields.items():
                before = getattr(row, name)
                if before != value:
                    changes[name] = [_jsonable(before), _jsonable(value)]
                    setattr(row, name, value)
            if review is not None and review != row.review:
                changes["review"] = [row.review, review]
                row.review = review
            new_status = status or row.status
            session.add(CommitmentEventRow(commitment_id=row.id, at=now, from_status=row.status, to_status=new_status,
                                           by_person_id=by_person_id, comment=comment, changes=changes or None))
            row.status, row.updated_at = new_status, now
            session.flush()
            return self._commitment_record(row, today or date.today())

    @staticmethod
    def _validate_edit(row: Commitment, fields: dict[str, Any]) -> None:
        merged = {"owner": row.owner, "action": row.action, "due": row.due,
                  "success_indicator": row.success_indicator, "owner_role": row.owner_role, **fields}
        try:
            CommitmentIn.model_validate(merged)
        except ValidationError as exc:
            first = exc.errors()[0]
            field = ".".join(str(p) for p in first["loc"])
            raise InvalidInput(f"{field}: {first['msg']}", field=field) from exc

    def add_commitment(self, note_id: str, raw: dict[str, Any], by_person_id: str, *, review: str,
                       comment: str | None = None, today: date | None = None) -> CommitmentRecord:
        """A commitment a person adds to a note's summary (one the engine missed)."""
        if review not in REVIEWS:
            raise InvalidInput(f"review: must be one of {', '.join(REVIEWS)}", field="review")
        with self._session(write=True) as session:
            note = self._get(session, Note, note_id, "note_id")
            if note.status != "summarized":
                raise InvalidInput(f"note_id: note {note_id} has no summary yet (status {note.status})",
                                   field="note_id")
            item = self._commitment_in(raw, 0)
            now = utcnow()
            row = Commitment(id=str(uuid.uuid4()), employee_id=note.employee_id, note_id=note.id, owner=item.owner,
                             action=item.action, due=item.due, success_indicator=item.success_indicator,
                             competency_ids=item.competency_ids, evidence=item.evidence, status=item.status,
                             created_at=now, updated_at=now, review=review, created_by=by_person_id,
                             owner_role=item.owner_role, proposed=None)
            session.add(row)
            session.flush()
            session.add(CommitmentEventRow(commitment_id=row.id, at=now, from_status=None, to_status=item.status,
                                           by_person_id=by_person_id, comment=comment or "added by a person",
                                           changes={"review": [None, review]}))
            session.flush()
            return self._commitment_record(row, today or date.today())

    def confirm_note(self, note_id: str, by_person_id: str, *, may_confirm: Any) -> list[CommitmentRecord]:
        """Confirm a summary: its proposed commitments become tracked where `may_confirm(row)` allows."""
        with self._session(write=True) as session:
            note = self._get(session, Note, note_id, "note_id")
            if note.status != "summarized":
                raise InvalidInput(f"note_id: note {note_id} has no summary to confirm (status {note.status})",
                                   field="note_id")
            now = utcnow()
            note.confirmed_at, note.confirmed_by = now, by_person_id
            rows = list(session.scalars(select(Commitment).where(Commitment.note_id == note_id)
                                        .order_by(Commitment.created_at, Commitment.id)))
            for row in rows:
                if row.review == "proposed" and may_confirm(row.owner_role):
                    session.add(CommitmentEventRow(commitment_id=row.id, at=now, from_status=row.status,
                                                   to_status=row.status, by_person_id=by_person_id,
                                                   comment="summary confirmed",
                                                   changes={"review": ["proposed", "confirmed"]}))
                    row.review, row.updated_at = "confirmed", now
            session.flush()
            return [self._commitment_record(r, date.today()) for r in rows]

    def commitment_history(self, commitment_id: str) -> list[CommitmentEvent]:
        """Every event of the commitment, oldest first."""
        with self._session() as session:
            self._get(session, Commitment, commitment_id, "commitment_id")
            rows = session.scalars(select(CommitmentEventRow).where(CommitmentEventRow.commitment_id == commitment_id)
                                   .order_by(CommitmentEventRow.at, CommitmentEventRow.id))
            return [CommitmentEvent.model_validate(r) for r in rows]

    # --- development maps -------------------------------------------------------------------------------------

    def save_map(self, employee_id: str, created_by: str, payload: dict[str, Any]) -> MapRecord:
        """Store a development map for the employee."""
        with self._session(write=True) as session:
            if session.get(Person, employee_id) is None:
                raise NotFound(f"employee_id: no person '{employee_id}' in the store", field="employee_id")
            row = DevelopmentMapRow(id=str(uuid.uuid4()), employee_id=employee_id, created_by=created_by,
                                    created_at=utcnow(), payload=payload)
            session.add(row)
            session.flush()
            return MapRecord.model_validate(row)

    def list_maps(self, employee_id: str) -> list[MapRecord]:
        """The employee's development maps, newest first."""
        with self._session() as session:
            rows = session.scalars(select(DevelopmentMapRow).where(DevelopmentMapRow.employee_id == employee_id)
                                   .order_by(DevelopmentMapRow.created_at.desc(), DevelopmentMapRow.id))
            return [MapRecord.model_validate(r) for r in rows]

    def get_map(self, map_id: str) -> MapRecord:
        """The map, or NotFound naming map_id."""
        with self._session() as session:
            return MapRecord.model_validate(self._get(session, DevelopmentMapRow, map_id, "map_id"))

    def set_action_progress(self, map_id: str, action_index: int, status: str, evidence: str | None,
                            by_person_id: str | None) -> ActionProgressRecord:
        """Set where one action of the map stands (the index is its position in the map's `actions`)."""
        if status not in ACTION_STATUSES:
            raise InvalidInput(f"status: must be one of {', '.join(ACTION_STATUSES)}, got '{status}'", field="status")
        if evidence is not None and len(evidence) > MAX_EVIDENCE_CHARS:
            raise InvalidInput(f"evidence: at most {MAX_EVIDENCE_CHARS} characters, got {len(evidence)}",
                               field="evidence")
        with self._session(write=True) as session:
            # Locked: two updates of the same action (PostgreSQL) take turns instead of both inserting a row.
            dev_map = self._get(session, DevelopmentMapRow, map_id, "map_id", lock=True)
            count = len(dev_map.payload.get("actions") or [])
            if not 0 <= action_index < count:
                allowed = f"0 to {count - 1}" if count else "none: the map has no actions"
                raise InvalidInput(f"action_index: must be {allowed}, got {action_index}", field="action_index")
            row = session.scalars(select(MapActionProgressRow).where(
                MapActionProgressRow.map_id == map_id, MapActionProgressRow.action_index == action_index)).first()
            if row is None:
                row = MapActionProgressRow(map_id=map_id, action_index=action_index)
                session.add(row)
            row.status, row.evidence, row.updated_at, row.updated_by = status, evidence, utcnow(), by_person_id
            session.flush()
            return ActionProgressRecord.model_validate(row)

    def action_progress(self, map_id: str) -> dict[int, ActionProgressRecord]:
        """The progress recorded for the map's actions, by action index (actions never updated are absent)."""
        with self._session() as session:
            self._get(session, DevelopmentMapRow, map_id, "map_id")
            rows = session.scalars(select(MapActionProgressRow).where(MapActionProgressRow.map_id == map_id)
                                   .order_by(MapActionProgressRow.action_index))
            return {r.action_index: ActionProgressRecord.model_validate(r) for r in rows}

    # --- helpers ---------------------------------------------------------------------------------------------

    @staticmethod
    def _get(session: Session, model: type, key: str, field: str, *, lock: bool = False) -> Any:
        row = session.get(model, key, with_for_update=lock)  # FOR UPDATE on PostgreSQL; SQLite has one writer
        if row is None:
            raise NotFound(f"{field}: no record '{key}'", field=field)
        return row
