"""The gateway's panels on pages of earlier apps (the home page)."""

from compacts.core.panels import register_panel
from compacts.gateway.selectors.fund import home_summary


def home_fund_context(*, request, obj):
    summary = home_summary()
    return {"summary": summary} if summary.fund else None


register_panel("home", "gateway/panels/home_fund.html", home_fund_context, 10)
