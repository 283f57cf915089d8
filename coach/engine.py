"""The assembled engine: settings, knowledge, embeddings, index and search, built once, shared by CLI and API."""

from __future__ import annotations

import difflib
import re
import threading
from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coach.errors import RetrievalUnavailable, UnknownCompetency, UnknownRole
from coach.knowledge import Competency, Knowledge, Role, load_knowledge, named_roles
from coach.retrieval.embedder import get_embeddings
from coach.retrieval.mirror import VectorMirror
from coach.retrieval.search import DenseSource, HybridSearcher, SearchHit
from coach.settings import Settings, get_settings

if TYPE_CHECKING:
    from langchain_core.embeddings import Embeddings

    from coach.llm.provider import LLMProvider
    from coach.retrieval.index import IndexStats, KnowledgeIndex

# Below this cosine similarity a free-text role is too far from every role to trust.
ROLE_MATCH_MIN_SIMILARITY = 0.25
# Shorthand people use for jobs; the embedding model reads the long forms far better.
ROLE_SHORTHAND = {
    "dev": "software developer engineer", "devs": "software developers engineers", "eng": "engineer",
    "swe": "software engineer", "sde": "software engineer", "pm": "product manager", "em": "engineering manager",
    "ops": "operations", "sre": "site reliability engineer", "ux": "user experience", "ui": "user interface",
    "ml": "machine learning", "bi": "business intelligence", "csm": "customer success manager",
    "sdr": "sales development representative", "bdr": "sales development representative",
    "ae": "account executive", "qa": "quality assurance", "hr": "human resources people", "hrbp": "hr business partner",
    "l&d": "learning and development", "sr": "senior", "jr": "junior", "mgr": "manager", "tpm": "technical program manager",
}
JUNIOR_WORDS = re.compile(r"\b(junior|jr|new grad|graduate|entry[- ]level|intern|apprentice|first job)\b", re.I)
SENIOR_WORDS = re.compile(r"\b(senior|sr|lead|staff|principal|head of|experienced)\b", re.I)
# Signs the person manages people ("looking after 3 designers"): the management track of the family.
MANAGING_WORDS = re.compile(r"\b(manag(es|ing)|looks? after|looking after|runs? (a|the) team|team of|direct reports|"
                            r"\d+ (reports|designers|engineers|people|analysts|reps|marketers|recruiters))\b", re.I)
SENIORITY_WINDOW = 0.08  # candidates this close to the best match compete on seniority words


class Engine:
    """Lazily built parts; each is created once per process (the model alone takes seconds)."""

    def __init__(self, settings: Settings | None = None, *, knowledge: Knowledge | None = None,
                 embeddings: Embeddings | None = None) -> None:
        self.settings = settings or get_settings()
        self.index_warning: str | None = None  # set when searches use an index built before the knowledge changed
        if knowledge is not None:
            self.__dict__["knowledge"] = knowledge
        if embeddings is not None:
            self.__dict__["embeddings"] = embeddings
        self._lock = threading.Lock()

    @cached_property
    def knowledge(self) -> Knowledge:
        return load_knowledge(self.settings.knowledge_dir, self.settings.seed_people_file, cache_dir=self._yaml_cache)

    @cached_property
    def embeddings(self) -> Embeddings:
        return get_embeddings(self.settings.embedding_device)

    @cached_property
    def llm(self) -> "LLMProvider":
        from coach.llm.provider import get_provider

        return get_provider(self.settings)

    @property
    def llm_enabled(self) -> bool:
        return self.settings.llm_provider != "none"

    @cached_property
    def index(self) -> "KnowledgeIndex":
        """Chroma: the index of record. Opened only to index, to check health, or when there is no current mirror."""
        from coach.retrieval.index import KnowledgeIndex, make_chroma_client  # chromadb costs ~1 s and 50 MB

        return KnowledgeIndex(make_chroma_client(self.settings), self.embeddings, self.settings.collection_prefix,
                              mirror_path=self.mirror_path)

    @property
    def mirror_path(self) -> Path | None:
        """The numpy copy of a local index (none for a shared Chroma server: another process may change it)."""
        if self.settings.chroma_host:
            return None
        return self.settings.resolved_chroma_path / f"{self.settings.collection_prefix}-mirror.npz"

    def dense_source(self) -> DenseSource:
        """The mirror when it holds exactly the current knowledge, else Chroma itself.

        A local index that was never built is an error (searching it would rank by keywords alone, silently); one
        built before the knowledge changed still answers, and `index_warning` says so.
        """
        self.index_warning = None
        path = self.mirror_path
        if path is None:
            return self.index
        mirror = VectorMirror(path)
        changed = mirror.changed(self.knowledge.documents, self._model_id)
        if changed == 0:
            return mirror
        if changed is None and self.index.count() == 0:
            raise RetrievalUnavailable("the search index is empty: run `coach index` (or `make run`) first")
        if changed:
            self.index_warning = (f"the search index is out of date: {changed} knowledge document(s) changed since "
                                  "it was built; run `coach index`")
        return self.index

    @cached_property
    def searcher(self) -> HybridSearcher:
        return HybridSearcher(self.knowledge.documents, self.dense_source(), self.embeddings)

    def index_status(self) -> str:
        """'ok (N documents ...)' when searches can be answered; RetrievalUnavailable otherwise.

        A local index whose numpy copy is current answers from the copy, so Chroma is not opened for a health check.
        """
        dense = self.searcher.index
        if isinstance(dense, VectorMirror) and dense.matches(self.knowledge.documents, self._model_id):
            return f"ok ({len(self.knowledge.documents)} documents, searched in the local copy of the Chroma index)"
        self.index.heartbeat()
        stale = f"; {self.index_warning}" if self.index_warning else ""
        return f"ok ({self.index.count()} documents{stale})"

    @property
    def _yaml_cache(self) -> Path:
        """Parsed knowledge files as JSON, keyed by their bytes (knowledge.py): a large framework loads in a blink."""
        return self.settings.data_dir / "cache" / "knowledge"

    @property
    def _model_id(self) -> str:
        return str(getattr(self.embeddings, "model_id", ""))

    def reindex(self, *, progress: bool = False,
                on_progress: Callable[[int, int], None] | None = None) -> "IndexStats":
        """Bring the index in line with the knowledge directory (unchanged documents are skipped)."""
        with self._lock:
            stats = self.index.sync(self.knowledge.documents, progress=progress, on_progress=on_progress)
            self.__dict__.pop("searcher", None)
            return stats

    def reload_knowledge(self) -> Knowledge:
        """Re-read the knowledge directory (after an admin changed it); the index follows on reindex()."""
        with self._lock:
            knowledge = load_knowledge(self.settings.knowledge_dir, self.settings.seed_people_file,
                                       cache_dir=self._yaml_cache)
            self.__dict__["knowledge"] = knowledge
            self.__dict__.pop("searcher", None)
            return knowledge

    def search(self, text: str, *, kind: str | None = None, top: int = 10, **filters: Any) -> list[SearchHit]:
        return self.searcher.search(text, kind=kind, top=top, filters=filters)

    def resolve_role(self, text: str, *, field: str = "role") -> Role:
        """A role from its id, title or alias, or the nearest role by meaning; UnknownRole otherwise."""
        roles = self.knowledge.roles
        key = text.strip().lower()
        if not key:
            raise UnknownRole(f"{field}: must not be empty", field=field)
        if key in roles:
            return roles[key]
        for role in roles.values():
            if key == role.title.lower() or key in (a.lower() for a in role.aliases):
                return role
        expanded = expand_shorthand(text)
        named = None if JUNIOR_WORDS.search(text) or SENIOR_WORDS.search(text) else _named_role(expanded, self.knowledge)
        if named:
            return named  # "newly promoted EM", "data scientist on the growth team": the title is in there
        hits = self.search(expanded, kind="role", top=5)
        if hits and (hits[0].similarity or 0.0) >= ROLE_MATCH_MIN_SIMILARITY:
            return roles[_by_seniority(text, hits, roles)]
        closest = [f"{h.id} ({h.title})" for h in hits[:3]]
        raise UnknownRole(f"{field}: no role matches '{text}'; closest: {', '.join(closest) or 'none'}",
                          field=field, details={"closest": [h.id for h in hits[:3]]})

    def resolve_competency(self, text: str, *, field: str = "competency") -> Competency:
        """A competency from its id or name; UnknownCompetency with the closest ids otherwise."""
        comps = self.knowledge.competencies
        key = text.strip().lower()
        if key in comps:
            return comps[key]
        for comp in comps.values():
            if key == comp.name.lower():
                return comp
        closest = difflib.get_close_matches(key, list(comps), n=3, cutoff=0.3)
        raise UnknownCompetency(f"{field}: unknown competency '{text}'; closest: {', '.join(closest) or 'none'}",
                                field=field, details={"closest": closest})


def expand_shorthand(text: str) -> str:
    """'backend dev' becomes 'backend software developer engineer' for the embedding model."""
    return re.sub(r"[A-Za-z&]+", lambda m: ROLE_SHORTHAND.get(m.group(0).lower(), m.group(0)), text)


def _named_role(text: str, knowledge: Knowledge) -> Role | None:
    """The one role whose title or alias appears whole in the text (the longest name wins), if exactly one."""
    named = named_roles(knowledge, text)
    return knowledge.roles[next(iter(named))] if len(named) == 1 else None


def _by_seniority(text: str, hits: list[SearchHit], roles: dict[str, Role]) -> str:
    """Among near-equal matches in the best match's family, 'junior' picks the lowest level, 'senior' the next up."""
    best = hits[0]
    family = roles[best.id].job_family
    close = [h for h in hits if roles[h.id].job_family == family
             and (best.similarity or 0) - (h.similarity or 0) <= SENIORITY_WINDOW]
    if MANAGING_WORDS.search(text):
        managers = [h for h in hits if roles[h.id].job_family == family and roles[h.id].track == "management"
                    and (best.similarity or 0) - (h.similarity or 0) <= 2 * SENIORITY_WINDOW]
        if managers:
            return min(managers, key=lambda h: (roles[h.id].level, -(h.similarity or 0))).id
    if JUNIOR_WORDS.search(text):
        # "jr designer": the word 'designer' matches every level alike, so look a little wider for the entry level
        wider = [h for h in hits if roles[h.id].job_family == family and roles[h.id].track == "ic"
                 and (best.similarity or 0) - (h.similarity or 0) <= 2 * SENIORITY_WINDOW] or close
        return min(wider, key=lambda h: (roles[h.id].level, -(h.similarity or 0))).id
    if SENIOR_WORDS.search(text):
        senior = [h for h in close if roles[h.id].level >= 3 and roles[h.id].track == roles[best.id].track]
        if senior:
            return max(senior, key=lambda h: (h.similarity or 0)).id
    return best.id
