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
