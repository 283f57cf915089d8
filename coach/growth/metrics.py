"""Development metrics: per gap competency, the knowledge's indicators with a baseline, target and current value."""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from coach.errors import InvalidInput, NotFound

if TYPE_CHECKING:
    from coach.growth.gaps import Gap
    from coach.knowledge import Knowledge
    from coach.store.auth import Principal
    from coach.store.store import Store

MAX_METRIC_VALUE = 1e9
EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)


class MetricValue(BaseModel):
    """One measured (or aimed-for) value of an indicator and the day it applies to."""

    model_config = ConfigDict(extra="forbid")

    value: float = Field(ge=-MAX_METRIC_VALUE, le=MAX_METRIC_VALUE, description="In the indicator's unit.")
    on: date = Field(ge=EARLIEST, le=LATEST, description="When it was measured (baseline, current) or is due (target).")

    @field_validator("value")
    @classmethod
    def _finite(cls, value: float) -> float:
        if not math.isfinite(value):
            raise ValueError("must be a finite number")
        return value


class IndicatorMetric(BaseModel):
    """An indicator from the knowledge, with the values the employee and manager record."""

    id: str
    name: str
    measure: str = Field(description="How it is measured (from the knowledge).")
    direction: Literal["up", "down"] = Field(description="up: higher is better; down: lower is better.")
    unit: str = ""
    baseline: MetricValue | None = Field(None, description="Where it stood when the plan started.")
    target: MetricValue | None = Field(None, description="Where it should be, and by when.")
    current: MetricValue | None = Field(None, description="The latest measurement.")
    updated_at: datetime | None = None
    updated_by: str | None = Field(None, description="Who recorded the values last: a person id, or 'admin'.")


class CompetencyMetrics(BaseModel):
    """The indicators of one gap competency."""

    competency_id: str
    competency: str
    indicators: list[IndicatorMetric]


class MetricUpdate(BaseModel):
    """Values to record for one indicator; omitted values stay as they are."""

    model_config = ConfigDict(extra="forbid")

    indicator: str = Field(min_length=1, max_length=60, description="The indicator's id, e.g. planning-accuracy.")
    baseline: MetricValue | None = None
    target: MetricValue | None = None
    current: MetricValue | None = None


def map_metrics(knowledge: Knowledge, gaps: list[Gap]) -> list[CompetencyMetrics]:
    """One entry per gap competency that has indicators, in the gaps' priority order, with no values yet."""
    out = []
    for gap in gaps:
        competency = knowledge.competencies.get(gap.competency_id)
        if competency is None or not competency.indicators:
            continue
        out.append(CompetencyMetrics(competency_id=gap.competency_id, competency=gap.competency, indicators=[
            IndicatorMetric(id=i.id, name=i.name, measure=i.measure, direction=i.direction, unit=i.unit)
            for i in competency.indicators]))
    return out


def carry_values(old: list[CompetencyMetrics], new: list[CompetencyMetrics]) -> int:
    """Copy recorded values into the new map's indicators with the same competency and id; how many carried over."""
    recorded = {(m.competency_id, i.id): i for m in old for i in m.indicators
                if i.baseline or i.target or i.current}
    carried = 0
    for metrics in new:
        for indicator in metrics.indicators:
            before = recorded.get((metrics.competency_id, indicator.id))
            if before is not None:
                indicator.baseline, indicator.target, indicator.current = before.baseline, before.target, before.current
                indicator.updated_at, indicator.updated_by = before.updated_at, before.updated_by
                carried += 1
    return carried


def _worse_target(indicator: IndicatorMetric) -> bool:
    if indicator.baseline is None or indicator.target is None:
        return False
    if indicator.direction == "up":
        return indicator.target.value < indicator.baseline.value
    return indicator.target.value > indicator.baseline.value


def apply_update(payload: dict[str, Any], competency_id: str, update: MetricUpdate, by: str,
                 now: datetime) -> dict[str, Any]:
    """The map payload with the indicator's values recorded (and its Markdown redrawn); InvalidInput names the field."""
    from coach.growth.development import DevelopmentMap  # development imports this module for its models
    from coach.templating import render_document

    if update.baseline is None and update.target is None and update.current is None:
        raise InvalidInput("body: give at least one of baseline, target, current", field="body")
    try:
        dev_map = DevelopmentMap.model_validate(payload)
    except ValidationError as exc:  # a map stored by another version of the code
        raise InvalidInput(f"map_id: the stored map cannot be read ({exc.errors()[0]['msg']})", field="map_id") from exc
    metrics = next((m for m in dev_map.metrics if m.competency_id == competency_id), None)
    if metrics is None:
        known = ", ".join(m.competency_id for m in dev_map.metrics) or "none: the map has no metrics"
        raise NotFound(f"competency_id: the map has no metrics for '{competency_id}'; it has {known}",
                       field="competency_id")
    indicator = next((i for i in metrics.indicators if i.id == update.indicator), None)
    if indicator is None:
        known = ", ".join(i.id for i in metrics.indicators)
        raise InvalidInput(f"indicator: '{update.indicator}' is not an indicator of {metrics.competency}; "
                           f"one of {known}", field="indicator")
    for name in ("baseline", "target", "current"):
        value = getattr(update, name)
        if value is not None:
            setattr(indicator, name, value)
    if _worse_target(indicator):
        better, way = ("above", "higher") if indicator.direction == "up" else ("below", "lower")
        raise InvalidInput(f"target: {indicator.name} is better {way}; the target ({indicator.target.value:g}) "
                           f"must be at or {better} the baseline ({indicator.baseline.value:g})", field="target")
    indicator.updated_at, indicator.updated_by = now, by
    dev_map.markdown = render_document("development_map.md", map=dev_map)
    return dev_map.model_dump(mode="json")


def record_metric(store: Store, principal: Principal, map_id: str, competency_id: str,
                  update: MetricUpdate) -> CompetencyMetrics:
    """Record baseline, target and/or current values of one indicator of a stored map; the employee and their
    managers (and admins) may."""
    from coach.store import plans as plan_store
    from coach.store.auth import require_access
    from coach.store.models import utcnow

    record = plan_store.get_version(store, map_id)
    require_access(principal, record.employee_id)
    by = principal.person_id or "admin"
    saved = plan_store.update_payload(store, map_id, lambda payload: apply_update(payload, competency_id, update, by,
                                                                                  utcnow()))
    return next(CompetencyMetrics.model_validate(m) for m in saved.payload["metrics"]
                if m["competency_id"] == competency_id)


__all__ = ["record_metric", "MetricValue", "IndicatorMetric", "CompetencyMetrics", "MetricUpdate", "map_metrics",
           "carry_values", "apply_update"]
