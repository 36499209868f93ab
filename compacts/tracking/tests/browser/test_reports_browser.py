"""Progress reports with the fund's programmes, in English and Arabic, checked by axe-core."""

import pytest

from compacts.tracking.tests.views.test_report_programmes import data  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["en", "ar"])
def test_country_report_with_programmes(page, axe, live_server, data, language):  # noqa: F811
    """Morocco's report lists its active programme with the money the ledger holds."""
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page.goto("/tracking/reports/countries/504/")
    row = page.locator(f"tr[data-programme='{data.active.code}']")
    assert "250,000" in row.inner_text()
    assert "90,000" in row.inner_text()
    assert page.locator("#programmes-heading").is_visible()
    assert axe(page) == []
