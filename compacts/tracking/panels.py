"""What tracking adds to the framework's objective and country pages (``compacts.core.panels``)."""

from compacts.core.panels import register_panel
from compacts.tracking import selectors
from compacts.tracking.workflows import pledge as pledge_workflow


def objective_panel(*, request, obj):
    pledges = selectors.pledge_dashboard()
    bucket = next((b for b in pledges["objective"] if b.key == str(obj.number)), None)
    round_tables = list(obj.round_tables.select_related("edition"))
    indicators = list(obj.tracking_indicators.all())
    if bucket is None and not round_tables and not indicators:
        return None
    return {"bucket": bucket, "round_tables": round_tables, "indicators": indicators}


def country_panel(*, request, obj):
    from compacts.tracking.models import HealthInclusionAssessment, Pledge

    pledges = Pledge.objects.filter(country=obj, state__in=pledge_workflow.PUBLIC).count()
    plans = [
        e for e in selectors.national_plan_list(user=request.user if request else None, country=obj)
    ]
    inclusion = (
        HealthInclusionAssessment.objects.filter(country=obj).order_by("-assessed_on").first()
    )
    if not pledges and not plans and inclusion is None:
        return None
    return {"pledge_count": pledges, "plans": plans, "inclusion": inclusion}


register_panel("gcm-objective", "tracking/panels/objective.html", objective_panel, order=40)
register_panel("country", "tracking/panels/country.html", country_panel, order=40)
