"""The progress status of one indicator series, by the method Open SDG adopted from Statistics
Canada (docs/tracking.md, "Progress status"). Pure functions: no database.

- CAGR (observed) = (y_i / y_0) ** (1 / (t_i - t_0)) - 1, from the base year t_0 (the
  indicator's base year, or the first year with data after it) to the latest year t_i.
- With a quantitative target y_T in year t_T: CAGR_T = (y_T / y_0) ** (1 / (t_T - t_0)) - 1 and
  R = d * CAGR / |CAGR_T|, d = +1 when higher is better, -1 when lower is better.
  Target achieved when the latest value has reached the target; else R >= 0.95 on track,
  0.60 <= R < 0.95 acceleration needed, 0 <= R < 0.60 limited progress, R < 0 deterioration.
- Without a target: d * CAGR >= 1.5 % on track, 0.5 % to 1.5 % acceleration needed, 0 to 0.5 %
  limited progress, below 0 deterioration.
- Not enough data: fewer than two years from the base year on, or a base value that is zero or
  negative (a growth rate is then undefined).

The natural-limit scaling factor C of Statistics Canada's method is not applied (C = 1).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProgressStatus(models.TextChoices):
    TARGET_ACHIEVED = "target-achieved", _("Target achieved")
    ON_TRACK = "on-track", _("On track")
    ACCELERATION_NEEDED = "acceleration-needed", _("Progress made but acceleration needed")
    LIMITED = "limited", _("Limited progress")
    DETERIORATION = "deterioration", _("Deterioration")
    NOT_AVAILABLE = "not-available", _("Not enough data")


RATIO_ON_TRACK = 0.95
RATIO_ACCELERATION = 0.60
CAGR_ON_TRACK = 0.015
CAGR_ACCELERATION = 0.005


@dataclass(frozen=True)
class ProgressResult:
    status: str
    base_year: int | None = None
    base_value: float | None = None
    latest_year: int | None = None
    latest_value: float | None = None
    cagr: float | None = None
    required_cagr: float | None = None
    ratio: float | None = None


def _cagr(start: float, end: float, years: int) -> float:
    return (end / start) ** (1 / years) - 1


def progress_status(
    points: list[tuple[int, Decimal | float]],
    *,
    higher_is_better: bool = True,
    base_year: int = 2015,
    target_value: Decimal | float | None = None,
    target_year: int | None = None,
) -> ProgressResult:
    """The progress status of a series of ``(year, value)`` points (any order)."""
    series = sorted((int(year), float(value)) for year, value in points if year >= base_year)
    if len(series) < 2:
        return ProgressResult(ProgressStatus.NOT_AVAILABLE)
    (t0, y0), (ti, yi) = series[0], series[-1]
    base = {"base_year": t0, "base_value": y0, "latest_year": ti, "latest_value": yi}
    d = 1 if higher_is_better else -1
    if target_value is not None:
        target = float(target_value)
        if d * (yi - target) >= 0:
            return ProgressResult(ProgressStatus.TARGET_ACHIEVED, **base)
    if y0 <= 0 or yi < 0:
        return ProgressResult(ProgressStatus.NOT_AVAILABLE, **base)
    cagr = _cagr(y0, yi, ti - t0) if yi > 0 else -1.0
    if target_value is not None and target_year is not None and target_year > t0 and target > 0:
        required = _cagr(y0, target, target_year - t0)
        if required == 0:
            return ProgressResult(ProgressStatus.NOT_AVAILABLE, **base, cagr=cagr)
        ratio = d * cagr / abs(required)
        if ratio >= RATIO_ON_TRACK:
            status = ProgressStatus.ON_TRACK
        elif ratio >= RATIO_ACCELERATION:
            status = ProgressStatus.ACCELERATION_NEEDED
        elif ratio >= 0:
            status = ProgressStatus.LIMITED
        else:
            status = ProgressStatus.DETERIORATION
        return ProgressResult(status, **base, cagr=cagr, required_cagr=required, ratio=ratio)
    directed = d * cagr
    if directed >= CAGR_ON_TRACK:
        status = ProgressStatus.ON_TRACK
    elif directed >= CAGR_ACCELERATION:
        status = ProgressStatus.ACCELERATION_NEEDED
    elif directed >= 0:
        status = ProgressStatus.LIMITED
    else:
        status = ProgressStatus.DETERIORATION
    return ProgressResult(status, **base, cagr=cagr)
