"""Persistence: people, API tokens, notes, commitments and development maps (SQLAlchemy + alembic)."""

from coach.store.auth import Principal, can_access, require_access
from coach.store.records import (
    ActionProgressRecord, CommitmentEvent, CommitmentRecord, MapRecord, NoteRecord, PersonRecord, TokenRecord,
)
from coach.store.store import Store

__all__ = [
    "ActionProgressRecord",
    "CommitmentEvent", "CommitmentRecord", "MapRecord", "NoteRecord", "PersonRecord", "Principal", "Store",
    "TokenRecord", "can_access", "require_access",
]
