"""Career paths over the role graph: progression links plus competency similarity, ranked by fit."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from functools import lru_cache
from statistics import median
from typing import Any, NamedTuple

from pydantic import BaseModel, Field

from coach.growth.aspiration import aspiration_kind, split_aspiration
from coach.engine import Engine
from coach.errors import InvalidInput
from coach.growth.gaps import Gap, Rating, TrackMove, analyse_gaps, classify_move, distance, normalise_ratings
from coach.knowledge import Knowledge, Role, named_roles

MAX_STEPS = 3
# After the first step a walk follows at most this many edges of a role (its written links first): a large
# framework has roles with 20-40 links, and every 3-step walk through all of them took seconds (O*NET: 4,000 walks
# a role). The sample knowledge has at most 7 edges a role, so nothing changes there.
MAX_BRANCHING = 8
SIMILAR_NEIGHBOURS = 2     # competency-similar roles added as lateral edges per role
WEEKS_PER_LEVEL_FALLBACK = 12.0
WEEKS_PER_MONTH = 4.345
FIT_DECAY_RANKS = 5.0      # fit falls to ~0.37 five ranks below the best match
NAMED_DISCOUNT = 0.8       # when the text names a role, how much the unnamed ones still count
# "Run a team" from an engineer most often means an engineering team: a small pull towards the own family.
SAME_FAMILY_BONUS = 0.1
# "Get to the next level", "get promoted": the next level up on the person's own track.
NEXT_LEVEL_WORDS = re.compile(r"\b(next level|level up|get promoted|promotion|promoted|step up|move up|"
                              r"next step up|the level above)\b", re.IGNORECASE)
NEXT_LEVEL_BONUS = 0.25
# Managing people named as something to leave or avoid ("without managing people", "no direct reports").
MANAGING_TASKS = re.compile(r"\b(manag\w*|direct reports|reports|people management|performance reviews|1:1s|"
                            r"one-on-ones|headcount|hiring|line management)\b", re.IGNORECASE)
NO_REPORTS_PENALTY = 0.3
# A step back to hands-on work ("I miss building things", "back to IC"): an individual-contributor role of the
# person's own family at about their level, not a management role and not a junior one.
STEP_BACK_BONUS = 0.25
STEP_BACK_PENALTY = 0.3
MIN_MONTHS = {"up": 6, "expert-ic": 9, "management": 6, "lateral": 3, "down": 2}
# Being seen to work at the next level of a competency takes months of practice, whatever the course takes; a person
# grows a few competencies at once (see estimate_months).
PRACTICE_MONTHS_PER_LEVEL = 4.0
PARALLEL_COMPETENCIES = 3
# Written links (next or lateral) count alike in a path's score, similarity not at all. Counting a lateral link half
# kept Software Engineer II's expert track on Senior SWE -> Staff, but lowered O*NET paths recall@10 0.399 -> 0.378.
LINK_WEIGHT = {"next_roles": 1.0, "lateral_roles": 1.0, "competency-similarity": 0.0}
# A role in another family that the person did not name and that no link of their own role leads to counts this
# much of its fit: "lead a small team" from an engineer is first an engineering team, not a support team.
OTHER_FAMILY_FIT = 0.6
# A path that passes through a family that is neither the person's nor the target's drifts (an engineer to HR by
# way of design, an analytics manager to customer success by way of engineering): each such step costs this much.
DRIFT_PENALTY = 0.6
# Whether the words sound more like the organisation's management roles or its individual-contributor roles (the
# cosine to each track's mean role vector): a difference of TRACK_SCALE counts fully, and moves the fit of the roles
# on that track by up to TRACK_PULL. "Lead a small team" +0.11, "deep technical work" -0.14, "customer problems" 0.
TRACK_SCALE = 0.1
TRACK_PULL = 0.3
# Below this interest fit for every path shown, the words matched nothing well from here: ask, do not guess.
WEAK_FIT = 0.3
LEVEL_JUMP_PENALTY = 0.15  # per level beyond the next, for a map target the aspiration does not name
MAP_RELATED_WEIGHT = 0.3  # the description relatedness (see RELATED_WEIGHT) in the map's target choice
# How much a target's description, as embedded in the index, resembling the current role's counts in a path's score
# (the cosine of the two role vectors; 0 without a local index copy). Issue #11: "description embeddings".
RELATED_WEIGHT = 1.0


class RoleRef(BaseModel):
    """A role by id and title."""

    id: str
    title: str


class PathStep(BaseModel):
    """One move along a path."""

    role: RoleRef
    move: TrackMove
    via: str = Field(description="next_roles, lateral_roles or competency-similarity: why the graph has this edge.")
    distance: int = Field(description="Competency levels to gain for this step.")
    top_gaps: list[Gap]
    estimated_months: float


class CareerPath(BaseModel):
    """A ranked path of 1 to 3 steps from the current role."""

    category: TrackMove
    steps: list[PathStep]
    total_months: float
    interest_fit: float | None = Field(description="Similarity of the final role to the stated interests (0..1).")
    score: float
    explanation: str
    drift: int = Field(0, exclude=True, description="Steps through a family that is neither the start's nor the end's.")


class PathExploration(BaseModel):
    """The answer to 'what could I grow into?'."""

    current_role: RoleRef
    interests: str
    paths: list[CareerPath]
    source: str = "rules"
    clarify: str | None = Field(None, description="When the interests match no role well (or say nothing a role "
                                "can match, like '🚀🚀🚀'), the question to ask before trusting any of the paths.")


def role_ref(role: Role) -> RoleRef:
    return RoleRef(id=role.id, title=role.title)


def _vector(role: Role, competency_ids: list[str]) -> list[float]:
    return [float(role.competencies.get(cid, 0)) for cid in competency_ids]


@lru_cache(maxsize=8)
def role_graph(knowledge: Knowledge) -> dict[str, list[tuple[str, str]]]:
    """Edges role -> (role, via). Lateral links count both ways; similar roles fill gaps in the links."""
    import numpy as np  # one matrix product instead of a Python loop over all pairs (O*NET: 9 s -> milliseconds)

    ids = sorted(knowledge.competencies)
    order = sorted(knowledge.roles)
    edges: dict[str, list[tuple[str, str]]] = {rid: [] for rid in knowledge.roles}

    def add(a: str, b: str, via: str) -> None:
        if a != b and b not in {t for t, _ in edges[a]}:
            edges[a].append((b, via))

    for rid, role in sorted(knowledge.roles.items()):
        for nxt in role.next_roles:
            add(rid, nxt, "next_roles")
        for lat in role.lateral_roles:
            add(rid, lat, "lateral_roles")
            add(lat, rid, "lateral_roles")
    matrix = np.array([_vector(knowledge.roles[rid], ids) for rid in order], dtype=np.float64)
    norms = np.linalg.norm(matrix, axis=1)
    unit = matrix / np.where(norms > 0, norms, 1.0)[:, None]
    similarity = unit @ unit.T
    levels = np.array([knowledge.roles[rid].level for rid in order])
    for i, rid in enumerate(order):
        allowed = (levels == levels[i]) | (levels == levels[i] + 1)
        allowed[i] = False
        candidates = np.flatnonzero(allowed)
        # Most similar first, ties by id (the order list is sorted): the same edges as the pairwise loop gave.
        best = candidates[np.lexsort((candidates, -np.round(similarity[i, candidates], 12)))][:SIMILAR_NEIGHBOURS]
        for j in best:
            add(rid, order[j], "competency-similarity")
    return edges


@lru_cache(maxsize=8)
def _weeks_per_level(knowledge: Knowledge) -> dict[tuple[str, int], float]:
    """Median duration of the resources that lift a competency from each level (computed once)."""
    table: dict[tuple[str, int], float] = {}
    for cid in knowledge.competencies:
        for level in range(1, 5):
            durations = [res.duration_weeks for res in knowledge.resources.values() for b in res.builds
                         if b.competency == cid and b.from_level <= level < b.to_level]
            table[(cid, level)] = median(durations) if durations else WEEKS_PER_LEVEL_FALLBACK
    return table


def weeks_for_gap(knowledge: Knowledge, gap: Gap) -> float:
    """Typical calendar weeks to close a gap: the median matching resource for each level to climb."""
    return _gap_weeks(_weeks_per_level(knowledge), gap.competency_id, gap.current, gap.required)


def _gap_weeks(table: dict[tuple[str, int], float], competency_id: str, current: int, required: int) -> float:
    return sum(table.get((competency_id, max(level, 1)), WEEKS_PER_LEVEL_FALLBACK) for level in range(current, required))


def estimate_months(knowledge: Knowledge, gaps: list[Gap], move: TrackMove) -> float:
    """Typical months to be ready for a move: the catalogue's pace, but never faster than practice allows.

    From the catalogue, gaps are worked on in parallel: the longest sets the pace, the others add a quarter of theirs.
    But courses and assignments take weeks, while being seen to work at a new level takes practice: each level of
    the largest gap takes PRACTICE_MONTHS_PER_LEVEL, and all the levels to gain take that much spread over
    PARALLEL_COMPETENCIES at a time ("Senior Data Analyst -> Product Manager, 5 levels to gain" was ~4 months).
    """
    weeks = sorted((weeks_for_gap(knowledge, g) for g in gaps), reverse=True)
    if not weeks:
        return float(MIN_MONTHS[move])
    months = (weeks[0] + 0.25 * sum(weeks[1:])) / WEEKS_PER_MONTH
    levels = [max(0, g.required - g.current) for g in gaps]
    practice = PRACTICE_MONTHS_PER_LEVEL * max(max(levels), sum(levels) / PARALLEL_COMPETENCIES)
    return round(max(months, practice, MIN_MONTHS[move]), 1)


def _rank_fit(engine: Engine, text: str) -> dict[str, float]:
    """1 for the role that best matches the text, decaying with its hybrid rank."""
    hits = engine.search(text, kind="role", top=len(engine.knowledge.roles))
    # Fused scores (1/(60+rank)) are too compressed to weigh against distance; the rank is what they carry.
    return {h.id: math.exp(-rank / FIT_DECAY_RANKS) for rank, h in enumerate(hits)}


def interest_fit(engine: Engine, interests: str, current: Role | None = None) -> dict[str, float]:
    """How well every role fits the interests text (0..1), from where the person stands.

    What they want counts; a role they name counts fully; from a current role, roles of other families that they
    do not name count less, since most people mean their own field unless they say so (a written link to another
    family makes the move reachable, not wanted: Software Engineer II -> Sales Engineer for "deep technical work").
    """
    if not _has_words(interests):
        return {}  # "🚀🚀🚀" says something, but nothing a search can match: no fit rather than a random one
    knowledge = engine.knowledge
    wanted = split_aspiration(interests).wanted
    # Search on what the person wants, not on what they are leaving ("more people stuff, less code"). Also counting
    # the roles that match what they leave against them was tried: it lowered the target ranking on blind sets 3
    # and 4 (graph-aware recall@3 0.900 -> 0.833, 0.938 -> 0.906), so it is not done.
    fit = _rank_fit(engine, wanted)
    named = named_roles(knowledge, interests)
    # From a current role, words that lean to one track (lead a team / deep technical work) pull its roles up.
    pull = _track_pull(engine, wanted) if current is not None else 0.0
    if pull:
        # The favoured track moves toward 1 in proportion to what is left (a flat +pull clamped at 1 made the best
        # matches of that track equal and lost their order); the other track moves down by the pull.
        lean = "management" if pull > 0 else "ic"
        fit = {rid: value + abs(pull) * (1.0 - value) if knowledge.roles[rid].track == lean
               else max(0.0, value - abs(pull)) for rid, value in fit.items()}
    if current is not None:
        fit = {rid: value if (knowledge.roles[rid].job_family == current.job_family or rid in named)
               else value * OTHER_FAMILY_FIT for rid, value in fit.items()}
    if named:
        # Someone who names a role ("engineering manager within 18 months") means that role.
        fit = {rid: 1.0 if rid in named else value * NAMED_DISCOUNT for rid, value in fit.items()}
    return {rid: round(value, 4) for rid, value in fit.items()}


def _walks(graph: dict[str, list[tuple[str, str]]], knowledge: Knowledge, start: str) -> Iterable[list[tuple[str, str]]]:
    """Simple paths of 1..MAX_STEPS edges that never step down a level."""
    stack: list[list[tuple[str, str]]] = [[(start, "start")]]
    while stack:
        walk = stack.pop()
        here = walk[-1][0]
        if len(walk) > 1:
            yield walk[1:]
        if len(walk) > MAX_STEPS:
            continue
        seen = {rid for rid, _ in walk}
        for nxt, via in (graph[here] if len(walk) == 1 else graph[here][:MAX_BRANCHING]):
            if nxt not in seen and knowledge.roles[nxt].level >= knowledge.roles[here].level:
                stack.append([*walk, (nxt, via)])


def explore_paths(engine: Engine, current_role: str, interests: str = "", ratings: dict | None = None,
                  *, limit: int = 6) -> PathExploration:
    """Up to `limit` ranked paths from the current role: up, lateral, expert IC and management tracks.

    Every walk is scored (_score_walks: _build_path's arithmetic over arrays), but only the chosen paths become
    models: building one per walk took 200-500 ms a call on O*NET, where a role has 100 to 3,000 walks.
    """
    if not 1 <= limit <= 20:
        raise InvalidInput("limit: must be between 1 and 20", field="limit")
    knowledge = engine.knowledge
    current = engine.resolve_role(current_role, field="current_role")
    rating_map = normalise_ratings(ratings)
    fit = interest_fit(engine, interests, current)
    related = _relatedness(engine, current) if RELATED_WEIGHT else {}
    walks = _score_walks(knowledge, current, rating_map, fit, related)
    prefixes: dict[tuple[str, ...], tuple[PathStep, dict[str, Rating]]] = {}  # walks share their first steps
    chosen = [_build_path(knowledge, current, walks.walk(c.walk), rating_map, fit, prefixes, related)
              for c in _choose(walks.ranked(), limit)]
    return PathExploration(current_role=role_ref(current), interests=interests, paths=chosen,
                           clarify=_clarifying_question(interests, current, chosen))


VIAS = ("next_roles", "lateral_roles", "competency-similarity")
MOVES: tuple[TrackMove, ...] = ("up", "lateral", "expert-ic", "management", "down")


class _Tables:
    """The knowledge as arrays for _score_walks: built once per loaded knowledge (_tables), like role_graph."""

    def __init__(self, knowledge: Knowledge) -> None:
        import numpy as np

        graph = role_graph(knowledge)
        self.ids = sorted(knowledge.roles)  # row order is id order: comparing rows compares ids
        self.row = {rid: i for i, rid in enumerate(self.ids)}
        roles = [knowledge.roles[rid] for rid in self.ids]
        self.competencies = list(knowledge.competencies)
        column = {cid: c for c, cid in enumerate(self.competencies)}
        self.required = np.zeros((len(roles), len(self.competencies)), dtype=np.int64)  # 0: not required
        for i, role in enumerate(roles):
            for cid, level in role.competencies.items():
                self.required[i, column[cid]] = level
        self.level = np.array([r.level for r in roles], dtype=np.int64)
        self.management = np.array([r.track == "management" for r in roles], dtype=bool)
        families = {name: k for k, name in enumerate(sorted({r.job_family for r in roles}))}
        self.family = np.array([families[r.job_family] for r in roles], dtype=np.int64)
        self.min_months = np.array([MIN_MONTHS[m] for m in MOVES], dtype=np.int64)
        self.link_weight = np.array([LINK_WEIGHT.get(via, 0.0) for via in VIAS], dtype=np.float64)
        # weeks[c, current, required]: weeks_for_gap of every gap a competency can have.
        table = _weeks_per_level(knowledge)
        self.weeks = np.zeros((len(self.competencies), 6, 6), dtype=np.float64)
        for c, cid in enumerate(self.competencies):
            for current in range(1, 6):
                for required in range(current + 1, 6):
                    self.weeks[c, current, required] = _gap_weeks(table, cid, current, required)
        # The edges _walks follows, never down a level: all of a role's edges from the start, the first
        # MAX_BRANCHING of them after (-1 pads).
        self.first: list[tuple[list[int], list[int]]] = []
        self.later = np.full((len(roles), MAX_BRANCHING), -1, dtype=np.int64)
        self.later_via = np.zeros((len(roles), MAX_BRANCHING), dtype=np.int64)
        for i, rid in enumerate(self.ids):
            up = [(self.row[nxt], VIAS.index(via)) for nxt, via in graph[rid] if knowledge.roles[nxt].level >= roles[i].level]
            self.first.append(([j for j, _ in up], [v for _, v in up]))
            later = [(self.row[nxt], VIAS.index(via)) for nxt, via in graph[rid][:MAX_BRANCHING]
                     if knowledge.roles[nxt].level >= roles[i].level]
            for k, (j, via) in enumerate(later):
                self.later[i, k], self.later_via[i, k] = j, via

    def moves(self, here, target):  # numpy arrays of rows
        """classify_move for arrays of rows: indices into MOVES."""
        import numpy as np

        lh, lt = self.level[here], self.level[target]
        mh, mt = self.management[here], self.management[target]
        return np.select([lt < lh, mt & ~mh, ~mt & (lt >= 4) & (lt > lh), lt > lh], [4, 3, 2, 0], default=1)


@lru_cache(maxsize=8)
def _tables(knowledge: Knowledge) -> _Tables:
    return _Tables(knowledge)


class _Ranked(NamedTuple):
    walk: int
    category: TrackMove
    drift: int
    final: str
    score: float


class _Walks:
    """Every walk _walks yields from one role, with _build_path's score, category and drift: arrays by depth."""

    def __init__(self, tables: _Tables) -> None:
        self.tables = tables
        self.paths: list = []  # per depth: (walks, depth + 1) role rows along each walk
        self.vias: list = []   # per depth: (walks, depth + 1) indices into VIAS
        self.scores: list[float] = []
        self.categories: list = []
        self.drifts: list = []

    def walk(self, i: int) -> list[tuple[str, str]]:
        """The walk as _walks gives it: [(role id, via), ...]."""
        for path, via in zip(self.paths, self.vias):
            if i < len(path):
                return [(self.tables.ids[r], VIAS[v]) for r, v in zip(path[i].tolist(), via[i].tolist())]
            i -= len(path)
        raise IndexError(i)

    def ranked(self) -> list[_Ranked]:
        """All walks in the order explore_paths ranks them: best score first, then fewer steps, then the role ids
        of the steps (rows are in id order)."""
        import numpy as np

        if not self.scores:
            return []
        rows = np.concatenate([np.pad(p, ((0, 0), (0, MAX_STEPS - p.shape[1])), constant_values=-1)
                               for p in self.paths])
        steps = np.concatenate([np.full(len(p), p.shape[1]) for p in self.paths])
        scores = np.array(self.scores, dtype=np.float64)
        order = np.lexsort((*(rows[:, k] for k in reversed(range(MAX_STEPS))), steps, -scores)).tolist()
        finals = np.concatenate([p[:, -1] for p in self.paths]).tolist()
        categories = np.concatenate(self.categories).tolist()
        drifts = np.concatenate(self.drifts).tolist()
        ids = self.tables.ids
        return [_Ranked(i, MOVES[categories[i]], drifts[i], ids[finals[i]], self.scores[i]) for i in order]


def _score_walks(knowledge: Knowledge, current: Role, ratings: dict[str, Rating], fit: dict[str, float],
                 related: dict[str, float] | None = None) -> _Walks:
    """The walks from `current` with the scores _build_path gives them, without building a model.

    The levels before a step are a vector: its gaps are where the role requires more than max(level, 1), and the
    levels after it max(levels, required) (what _build_path's ratings per prefix amount to). Every float that decides
    the ranking comes from the same operations in the same order as in _build_path and estimate_months: round() and
    sum() in Python, array arithmetic only where it is one IEEE operation per element (and sorting).
    """
    import numpy as np

    t = _tables(knowledge)
    out = _Walks(t)
    start = t.row[current.id]
    fit_row = np.zeros(len(t.ids), dtype=np.float64)
    for rid, value in (fit or {}).items():
        fit_row[t.row[rid]] = value or 0.0
    related_row = np.zeros(len(t.ids), dtype=np.float64)
    for rid, value in (related or {}).items():
        if rid in t.row:
            related_row[t.row[rid]] = value
    columns = np.arange(len(t.competencies))
    first, first_via = t.first[start]
    path = np.array(first, dtype=np.int64).reshape(-1, 1)
    via = np.array(first_via, dtype=np.int64).reshape(-1, 1)
    here = np.full(len(path), start, dtype=np.int64)
    levels = np.broadcast_to(np.array([_level(ratings, current, cid) for cid in t.competencies], dtype=np.int64),
                             (len(path), len(t.competencies)))
    step_months: list = []  # per depth: months of that step, per walk of that depth
    index = np.arange(len(path)).reshape(-1, 1)  # per walk: its prefixes' positions at each depth
    for depth in range(MAX_STEPS):
        if depth:
            last = path[:, -1]
            kids = t.later[last]
            keep = (kids >= 0) & (kids != start)
            for k in range(path.shape[1]):
                keep &= kids != path[:, k:k + 1]
            parent, slot = np.nonzero(keep)
            here = last[parent]
            path = np.hstack([path[parent], kids[parent, slot][:, None]])
            via = np.hstack([via[parent], t.later_via[here, slot][:, None]])
            index = np.hstack([index[parent], np.arange(len(parent)).reshape(-1, 1)])
            levels = levels[parent]
        if not len(path):
            break
        target = path[:, -1]
        required = t.required[target]
        known = np.maximum(levels, 1)
        gap = required > known
        weeks = np.where(gap, t.weeks[columns, known, required], 0.0)
        delta = np.where(gap, required - known, 0)
        # estimate_months per step: weeks largest first (zeros after the gaps add nothing to a sum)
        count = int(gap.sum(axis=1).max()) if gap.size else 0
        ordered = np.sort(weeks, axis=1)[:, ::-1][:, :max(count, 1)].tolist()
        months = []
        for row, has_gap, most, total, minimum in zip(ordered, gap.any(axis=1).tolist(), delta.max(axis=1).tolist(),
                                                      delta.sum(axis=1).tolist(),
                                                      t.min_months[t.moves(here, target)].tolist()):
            if not has_gap:
                months.append(float(minimum))
                continue
            pace = (row[0] + 0.25 * sum(row[1:])) / WEEKS_PER_MONTH
            practice = PRACTICE_MONTHS_PER_LEVEL * max(most, total / PARALLEL_COMPETENCIES)
            months.append(round(max(pace, practice, minimum), 1))
        step_months.append(np.array(months, dtype=np.float64))
        # _build_path's score for each walk of this length
        per_step = np.stack([step_months[k][index[:, k]] for k in range(depth + 1)], axis=1).tolist()
        total_months = np.array([round(sum(m), 1) for m in per_step], dtype=np.float64)
        closeness = 1.0 / (1.0 + total_months / 12.0)
        linked = t.link_weight[via].sum(axis=1) / (depth + 1)
        family = t.family[path]
        home, end = t.family[start], family[:, -1]
        drift = ((family[:, :-1] != home) & (family[:, :-1] != end[:, None])).sum(axis=1)
        raw = 2.0 * fit_row[target] + closeness + 0.3 * linked - 0.15 * depth - DRIFT_PENALTY * drift
        if related:
            raw = raw + RELATED_WEIGHT * related_row[target]
        out.paths.append(path)
        out.vias.append(via)
        out.scores += [round(value, 4) for value in raw.tolist()]
        out.categories.append(t.moves(np.full(len(path), start), target))
        out.drifts.append(drift)
        levels = np.maximum(levels, required)  # after this step (before the next one)
    return out


def _choose(ranked: list[_Ranked], limit: int) -> list[_Ranked]:
    """Best path per category first (so every track is shown), then the rest by score; one path per final role.

    A track is shown for its own sake only by a path that does not drift through unrelated families.
    """
    chosen: list[_Ranked] = []
    finals: set[str] = set()
    for category in ("up", "lateral", "expert-ic", "management"):
        for path in ranked:
            if path.category == category and not path.drift and path.final not in finals:
                chosen.append(path)
                finals.add(path.final)
                break
    for path in ranked:
        if len(chosen) >= limit:
            break
        if path.final not in finals and path.category != "down":
            chosen.append(path)
            finals.add(path.final)
    chosen = chosen[:limit]
    chosen.sort(key=lambda p: -p.score)
    return chosen


def _track_pull(engine: Engine, wanted: str) -> float:
    """How far the words lean to the management track (> 0) or the individual-contributor one (< 0), scaled."""
    centres = _track_centres(engine)
    if centres is None:
        return 0.0  # a Chroma server (no local copy), or a framework with one track only
    import numpy as np

    query = np.asarray(engine.embeddings.embed_query(wanted), dtype=np.float32)
    lean = {track: float(query @ centre) for track, centre in centres.items()}
    return TRACK_PULL * max(-1.0, min(1.0, (lean["management"] - lean["ic"]) / TRACK_SCALE))


# The last track centres computed, with the knowledge and the index vectors they came from: they stay valid while
# those are the same objects (a reloaded knowledge, or a re-read index copy, is a new object).
_centres_cache: list[tuple[Knowledge, list[str], Any, dict[str, Any] | None]] = []


def _track_centres(engine: Engine) -> dict[str, Any] | None:
    """The unit mean role vector of each track, or None (no local index copy, or a track without roles)."""
    from coach.retrieval.mirror import VectorMirror

    source = engine.searcher.index
    matrix = source.matrix("role") if isinstance(source, VectorMirror) else None
    if matrix is None:
        return None
    knowledge, (ids, vectors) = engine.knowledge, matrix
    for cached in _centres_cache:
        if cached[0] is knowledge and cached[1] is ids and cached[2] is vectors:
            return cached[3]
    import numpy as np

    roles = knowledge.roles
    centres: dict[str, Any] | None = {}
    for track in ("management", "ic"):
        rows = [i for i, rid in enumerate(ids) if rid in roles and roles[rid].track == track]
        if not rows:
            centres = None
            break
        centre = np.mean(vectors[rows], axis=0)
        centres[track] = centre / np.linalg.norm(centre)
    _centres_cache[:] = [(knowledge, ids, vectors, centres)]
    return centres


def _relatedness(engine: Engine, current: Role) -> dict[str, float]:
    """Cosine of every role's indexed vector (title, summary, responsibilities) to the current role's; {} without
    a local index copy (a Chroma server) or when the current role is not in it. The copy's rows are unit vectors,
    so the cosine is their dot product."""
    from coach.retrieval.mirror import VectorMirror

    source = engine.searcher.index
    matrix = source.matrix("role") if isinstance(source, VectorMirror) else None
    if matrix is None or current.id not in matrix[0]:
        return {}
    ids, vectors = matrix
    cosines = vectors @ vectors[ids.index(current.id)]
    return {rid: float(c) for rid, c in zip(ids, cosines.tolist())}


def _has_words(text: str) -> bool:
    return re.search(r"[^\W\d_]{2,}", text) is not None


def _clarifying_question(interests: str, current: Role, paths: list[CareerPath]) -> str | None:
    """A question instead of a guess when what the person said fits none of the paths well."""
    if not interests.strip():
        return None
    wanted = split_aspiration(interests).wanted.strip().rstrip(".!?")
    if not _has_words(wanted):
        return (f"What would you like more of in your work, or less of, compared with being a {current.title} "
                "today? The paths below are the usual directions from here, not a reading of what you wrote.")
    if max((p.interest_fit or 0.0) for p in paths) >= WEAK_FIT:
        return None
    return (f"None of these roles matches \u201c{wanted}\u201d well from {current.title}. What would it look like in "
            "a typical week: which work would you do more of, and with whom? The paths below are the closest "
            "directions, not a recommendation.")


def _build_path(knowledge: Knowledge, current: Role, walk: list[tuple[str, str]], ratings: dict[str, Rating],
                fit: dict[str, float],
                prefixes: dict[tuple[str, ...], tuple[PathStep, dict[str, Rating]]] | None = None,
                related: dict[str, float] | None = None) -> CareerPath:
    steps: list[PathStep] = []
    here = current
    step_ratings = ratings
    prefixes = {} if prefixes is None else prefixes
    for depth, (rid, via) in enumerate(walk, start=1):
        target = knowledge.roles[rid]
        key = tuple(r for r, _ in walk[:depth])
        if key not in prefixes:
            analysis = analyse_gaps(knowledge, here, target, step_ratings)
            move = classify_move(here, target)
            step = PathStep(role=role_ref(target), move=move, via=via, distance=distance(analysis.gaps),
                            top_gaps=analysis.gaps[:3], estimated_months=estimate_months(knowledge, analysis.gaps, move))
            # After a step the person is assumed to meet that role's levels (or keep higher ones).
            levels = {cid: max(target.competencies.get(cid, 0), _level(step_ratings, here, cid))
                      for cid in knowledge.competencies}
            prefixes[key] = (step, {cid: Rating(manager=level) for cid, level in levels.items() if level > 0})
        step, step_ratings = prefixes[key]
        steps.append(step)
        here = target
    final = knowledge.roles[walk[-1][0]]
    category = classify_move(current, final)
    total_months = round(sum(s.estimated_months for s in steps), 1)
    fit_value = fit.get(final.id) if fit else None
    closeness = 1.0 / (1.0 + total_months / 12.0)
    # Interests decide first when given; then short, direct and explicitly linked paths win.
    linked = sum(LINK_WEIGHT.get(s.via, 0.0) for s in steps) / len(steps)
    home = {current.job_family, final.job_family}
    drift = sum(1 for s in steps[:-1] if knowledge.roles[s.role.id].job_family not in home)
    score = ((2.0 * (fit_value or 0.0)) + closeness + 0.3 * linked - 0.15 * (len(steps) - 1)
             - DRIFT_PENALTY * drift)
    if related:
        score = score + RELATED_WEIGHT * related.get(final.id, 0.0)
    return CareerPath(category=category, steps=steps, total_months=total_months, interest_fit=fit_value,
                      score=round(score, 4), explanation=_explain(current, steps, category, fit_value), drift=drift)


def _level(ratings: dict[str, Rating], role: Role, cid: str) -> int:
    rating = ratings.get(cid)
    if rating is not None and rating.current is not None:
        return rating.current
    return role.competencies.get(cid, 0)


def _diverse(paths: list[CareerPath], limit: int) -> list[CareerPath]:
    """_choose over built paths (how explore_paths chose before it scored walks as arrays)."""
    ranked = [_Ranked(i, p.category, p.drift, p.steps[-1].role.id, p.score) for i, p in enumerate(paths)]
    return [paths[r.walk] for r in _choose(ranked, limit)]


def _explain(current: Role, steps: list[PathStep], category: TrackMove, fit: float | None) -> str:
    names = {"up": "a step up the ladder", "lateral": "a lateral move", "expert-ic": "the expert individual-contributor track",
             "management": "the management track", "down": "a step to a less senior role"}
    route = " then ".join(s.role.title for s in steps)
    first_gaps = ", ".join(f"{g.competency} ({g.current} to {g.required})" for g in steps[0].top_gaps) or "no competency gaps"
    total = sum(s.estimated_months for s in steps)
    text = (f"From {current.title}, this is {names[category]}: {route}. "
            f"The first step needs {first_gaps}; the whole path is about {total:.0f} months at a typical pace "
            f"({sum(s.distance for s in steps)} competency levels to gain).")
    if fit is not None:
        text += (" Of all the roles, it is among those that match what they said they want most closely." if fit >= 0.8
                 else " It matches part of what they said they want." if fit >= 0.5
                 else " It is shown as another direction; it matches little of what they said they want.")
    return text


class CandidateRole(BaseModel):
    """A role the aspiration may point to, with why."""

    id: str
    title: str
    score: float
    reasons: list[str]


def reachable(knowledge: Knowledge, start: str) -> dict[str, int]:
    """Steps needed to reach each role from `start` over the role graph (at most MAX_STEPS)."""
    graph = role_graph(knowledge)
    steps = {start: 0}
    frontier = [start]
    for depth in range(1, MAX_STEPS + 1):
        nxt = []
        for rid in frontier:
            for other, _ in graph[rid]:
                if other not in steps:
                    steps[other] = depth
                    nxt.append(other)
        frontier = nxt
    return steps


def shortest_chain(knowledge: Knowledge, start: str, target: str) -> list[str] | None:
    """The roles after `start` on a shortest walk to `target` over the role graph (at most MAX_STEPS), or None when
    there is none, or when every shortest walk passes through a family that is neither the start's nor the target's
    (a drift the career paths avoid too). Among equally short walks, steps up the ladder come before lateral links,
    and those before merely similar roles: Software Engineer II -> Principal runs through Senior and Staff."""
    if start == target:
        return []
    graph = role_graph(knowledge)
    distance = reachable(knowledge, start)
    if target not in distance:
        return None
    roles = knowledge.roles
    home, end = roles[start].job_family, roles[target].job_family
    best: tuple | None = None

    def walk(chain: list[str], vias: list[int]) -> None:
        nonlocal best
        here = chain[-1] if chain else start
        if here == target:
            drift = sum(roles[r].job_family not in (home, end) for r in chain[:-1])
            key = (drift, sum(vias), chain)
            if best is None or key < best:
                best = key
            return
        if len(chain) >= distance[target]:
            return
        for other, via in graph[here]:
            if other != start and other not in chain:
                walk([*chain, other], [*vias, VIAS.index(via)])

    walk([], [])
    return None if best is None or best[0] else best[2]


def rank_target_roles(engine: Engine, current: Role | None, aspiration: str, *, top: int = 3) -> list[CandidateRole]:
    """The roles an aspiration most likely means, favouring ones reachable from the current role."""
    if not aspiration.strip():
        return []
    fit = interest_fit(engine, aspiration)
    knowledge = engine.knowledge
    hops = reachable(knowledge, current.id) if current else {}
    next_level = bool(NEXT_LEVEL_WORDS.search(aspiration))
    no_reports = bool(MANAGING_TASKS.search(split_aspiration(aspiration).unwanted))
    stepping_back = current is not None and aspiration_kind(aspiration) == "stepping-back"
    named = named_roles(knowledge, aspiration)
    related = _relatedness(engine, current) if current is not None and MAP_RELATED_WEIGHT else {}
    scored: list[CandidateRole] = []
    for rid, similarity in fit.items():
        role = knowledge.roles[rid]
        if current is not None and rid == current.id:
            continue
        reasons = ["the closest match to the aspiration" if similarity >= 0.99 else
                   "matches the aspiration closely" if similarity >= 0.8 else
                   "matches part of the aspiration" if similarity >= 0.5 else "matches the aspiration loosely"]
        score = similarity
        if current is not None:
            if rid in hops:
                score += 0.15 / hops[rid]
                reasons.append(f"{hops[rid]} step(s) from {current.title} on the role graph")
            if role.level < current.level and not (stepping_back and role.level >= current.level - 1):
                score -= 0.3
                reasons.append(f"below the current level ({role.level} < {current.level})")
            if stepping_back and role.track == "management":
                score -= STEP_BACK_PENALTY
                reasons.append("a management role, and the aspiration is a step back to hands-on work")
            elif stepping_back and role.job_family == current.job_family and role.level >= current.level - 1:
                score += STEP_BACK_BONUS
                reasons.append(f"hands-on work in the {current.job_family or 'same'} family at about the current "
                               "level, as a step back asks for")
            if role.job_family == current.job_family:
                score += SAME_FAMILY_BONUS
                reasons.append(f"in the same job family as {current.title}")
            if related:
                score += MAP_RELATED_WEIGHT * related.get(rid, 0.0)
            jump = role.level - current.level - 1
            if jump > 0 and rid not in named:
                # "Move into product management" from a level-3 role means the product role one can move into,
                # not the Group PM three steps away that the words match best; a named role is meant as named.
                score -= LEVEL_JUMP_PENALTY * jump
                reasons.append(f"{jump + 1} levels above {current.title}")
            if next_level and role.job_family == current.job_family and role.track == current.track \
                    and role.level == current.level + 1:
                score += NEXT_LEVEL_BONUS
                reasons.append("the next level on the same track, which the aspiration asks for")
        if no_reports and role.track == "management":
            score -= NO_REPORTS_PENALTY
            reasons.append("a management role, and the aspiration says no to managing people")
        scored.append(CandidateRole(id=rid, title=role.title, score=round(score, 4), reasons=reasons))
    scored.sort(key=lambda c: (-c.score, c.id))
    return scored[:top]
