"""Reads of the results app."""

from django.db.models import QuerySet

from compacts.core.exceptions import NotFoundError
from compacts.core.permissions import allowed
from compacts.results.models import Indicator, Report


def report_get_for_user(*, user, report_id: int) -> Report:
    """A report, if its programme is visible to ``user``."""
    report = Report.objects.select_related("programme__fund").filter(pk=report_id).first()
    if report is None or not allowed(user, "programmes.programme.view", report.programme):
        raise NotFoundError("There is no such report.")
    return report


def results_framework(*, programme) -> list[dict]:
    """Outcomes with their outputs and every indicator with baseline, targets and approved
    actual values (by period and breakdown)."""
    indicators = (
        Indicator.objects.filter(programme=programme)
        .prefetch_related("targets", "updates", "gcm_objectives", "sdg_indicators", "dimensions")
        .order_by("code")
    )
    rows = []
    for outcome in programme.outcomes.prefetch_related("outputs").order_by("code"):
        mine = [
            i
            for i in indicators
            if i.outcome_id == outcome.pk or (i.output_id and i.output.outcome_id == outcome.pk)
        ]
        rows.append(
            {
                "outcome": outcome,
                "indicators": [
                    {
                        "indicator": i,
                        "targets": list(i.targets.all()),
                        "actuals": [u for u in i.updates.all() if u.state == "approved"],
                        "pending": [u for u in i.updates.all() if u.state == "submitted"],
                    }
                    for i in mine
                ],
            }
        )
    return rows


def reports_due(*, programme) -> QuerySet[Report]:
    return Report.objects.filter(programme=programme).order_by("due_on", "kind")


def indicator_progress(*, programme) -> list[dict]:
    """Each indicator of ``programme`` with, per period and breakdown, the target, the latest
    approved actual value and the values waiting for review (submitted or returned)."""
    from compacts.results.models import DimensionValue

    labels = {
        f"{v.dimension.code}={v.code}": f"{v.dimension.name}: {v.name}"
        for v in DimensionValue.objects.select_related("dimension")
    }
    indicators = (
        Indicator.objects.filter(programme=programme)
        .select_related("outcome", "output")
        .prefetch_related("targets", "updates__submitted_by", "dimensions__values")
        .order_by("code")
    )
    result = []
    for indicator in indicators:
        rows: dict[tuple[str, str], dict] = {}

        def row(period: str, breakdown: str, rows: dict = rows) -> dict:
            return rows.setdefault(
                (period, breakdown),
                {
                    "period": period,
                    "breakdown": breakdown,
                    "breakdown_label": "; ".join(
                        labels.get(part, part) for part in breakdown.split(";") if part
                    ),
                    "target": None,
                    "actual": None,
                    "waiting": [],
                },
            )

        for target in indicator.targets.all():
            row(target.period, target.breakdown)["target"] = target.value
        for update in sorted(indicator.updates.all(), key=lambda u: (u.created_at, u.pk)):
            entry = row(update.period, update.breakdown)
            if update.state == "approved":
                entry["actual"] = update
            else:
                entry["waiting"].append(update)
        result.append(
            {
                "indicator": indicator,
                "rows": [rows[key] for key in sorted(rows)],
                "dimensions": list(indicator.dimensions.all()),
            }
        )
    return result


def indicator_update_get_for_user(*, user, update_id: int):
    """A reported value, if its programme is visible to ``user``."""
    from compacts.results.models import IndicatorUpdate

    update = (
        IndicatorUpdate.objects.select_related("indicator__programme").filter(pk=update_id).first()
    )
    if update is None or not allowed(user, "programmes.programme.view", update.indicator.programme):
        raise NotFoundError("There is no such value.")
    return update
