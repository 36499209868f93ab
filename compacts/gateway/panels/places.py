"""Gateway panels on the framework's country and objective pages: what the fund does there, in
a sentence and a link to the gateway page (``views/places.py``)."""

from compacts.core.exceptions import NotFoundError
from compacts.core.panels import register_panel
from compacts.gateway.selectors import places as selectors


def country_context(*, request, obj):
    """The fund's attributed figures in the country; nothing when it has no programme there."""
    try:
        page = selectors.country_page(iso2=obj.iso2)
    except NotFoundError:
        return None
    if not page.programmes:
        return None
    return {"page": page, "portfolio": page.portfolio}


def objective_context(*, request, obj):
    """The fund's programmes and money for the objective (shown even when there are none: a gap
    is worth seeing), unless the gateway has no fund."""
    try:
        page = selectors.objective_page(number=obj.number)
    except NotFoundError:  # reference data loaded since the cache was filled: next time
        return None
    if page.portfolio.fund_id is None:
        return None
    return {"page": page, "portfolio": page.portfolio}


register_panel("country", "gateway/places/panels/country.html", country_context, 20)
register_panel("gcm-objective", "gateway/places/panels/objective.html", objective_context, 20)
