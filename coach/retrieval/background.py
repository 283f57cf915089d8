"""A re-index run in the background, one at a time, whose progress a page can poll."""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel

from coach.errors import CoachError

if TYPE_CHECKING:
    from coach.engine import Engine

RunStatus = Literal["idle", "reading", "embedding", "done", "failed"]


class ReindexState(BaseModel):
    """Where the last (or current) re-index stands."""

    status: RunStatus = "idle"
    embedded: int = 0
    to_embed: int = 0
    roles: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    seconds: float = 0.0
    error: str | None = None
    started_at: float | None = None

    @property
    def running(self) -> bool:
        return self.status in ("reading", "embedding")


class BackgroundReindex:
    """Re-read the knowledge and re-index it in a thread; a second start while one runs is refused (returns False)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._state = ReindexState()

    def state(self) -> ReindexState:
        with self._lock:
            return self._state.model_copy()

    def _set(self, **changes: object) -> None:
        with self._lock:
            self._state = self._state.model_copy(update=changes)

    def start(self, engine: Engine) -> bool:
        with self._lock:
            if self._state.running:
                return False
            self._state = ReindexState(status="reading", started_at=time.time())
        threading.Thread(target=self._run, args=(engine,), name="coach-reindex", daemon=True).start()
        return True

    def _run(self, engine: Engine) -> None:
        try:
            knowledge = engine.reload_knowledge()
            self._set(status="embedding", roles=len(knowledge.roles))
            stats = engine.reindex(on_progress=lambda done, total: self._set(embedded=done, to_embed=total))
            self._set(status="done", added=stats.added, updated=stats.updated, unchanged=stats.unchanged,
                      removed=stats.removed, seconds=round(stats.seconds, 2))
        except CoachError as exc:
            self._set(status="failed", error=exc.message)
        except Exception as exc:  # noqa: BLE001 - a background thread has no caller to raise to; the page shows it
            self._set(status="failed", error=f"{type(exc).__name__}: {exc}")
