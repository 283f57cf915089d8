"""Persistence: people, API tokens, notes, commitments and development maps (SQLAlchemy + alembic).

The names below load on first use, so `coach.store.auth` (no database) does not pull in SQLAlchemy and alembic.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from coach.store.auth import Principal, can_access, require_access
    from coach.store.records import (
        ActionProgressRecord, CommitmentEvent, CommitmentRecord, MapRecord, NoteRecord, PersonRecord, TokenRecord,
    )
    from coach.store.store import Store

_WHERE = {
    "Principal": "auth", "can_access": "auth", "require_access": "auth", "Store": "store",
    **{name: "records" for name in ("ActionProgressRecord", "CommitmentEvent", "CommitmentRecord", "MapRecord",
                                    "NoteRecord", "PersonRecord", "TokenRecord")},
}
__all__ = [
    "ActionProgressRecord", "CommitmentEvent", "CommitmentRecord", "MapRecord", "NoteRecord", "PersonRecord",
    "Principal", "Store", "TokenRecord", "can_access", "require_access",
]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'coach.store' has no attribute {name!r}")
    return getattr(importlib.import_module(f"coach.store.{_WHERE[name]}"), name)
