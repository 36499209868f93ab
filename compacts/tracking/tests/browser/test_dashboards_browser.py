"""The tracking dashboards in a real browser, in English and Arabic, checked by axe-core."""

import pytest

from compacts.tracking.tests import scenario

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def data():
    return scenario.build()


def _language(page, live_server, language):
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )


@pytest.mark.parametrize("language", ["en", "ar"])
def test_pledge_dashboard(page, axe, live_server, data, language):
    """Three published pledges in the totals; the type filter narrows the list; no axe violation."""
    _language(page, live_server, language)
    page.goto("/tracking/pledges/")
    assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
    assert page.locator(".stat .value").first.inner_text() == "3"
    rows = page.locator("#list-heading ~ div table tbody tr")
    assert rows.count() == 3
    # The map of pledges by country: its legend counts whole pledges, each tick once.
    chart = page.locator("[id$='-chart'][data-figure-state=drawn]").first
    chart.wait_for()
    labels = chart.locator(".role-legend-label text").all_text_contents()
    assert labels
    assert len(labels) == len(set(labels)), labels
    assert all(label.strip().isdigit() for label in labels), labels
    assert axe(page) == []
    page.locator("#f-type").select_option("human-resources")
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_url("**pledge_type=human-resources**")
    assert rows.count() == 1


@pytest.mark.parametrize("language", ["en", "ar"])
def test_health_lens(page, axe, live_server, data, language):
    """The health lens shows the inclusion indicator, health pledges, the plan and a chart."""
    _language(page, live_server, language)
    page.goto("/tracking/health/")
    assert page.locator(".stat .value").first.inner_text() == "2"
    assert page.locator("svg.chart-svg").count() == 1
    assert page.get_by_text("Morocco GCM plan").count() == 1
    assert axe(page) == []


@pytest.mark.parametrize("language", ["en", "ar"])
def test_indicator_page_filters(page, axe, live_server, data, language):
    """The headline series shows first (blank filters mean the total, as in Open SDG); choosing
    Sex = Female shows that series instead, named in the page's language (the address keeps the
    stored value)."""
    _language(page, live_server, language)
    page.goto("/tracking/indicators/3-8-1/?country=504")
    rows = page.locator("#series-table tbody tr")
    assert rows.count() == 1
    assert "60" in rows.first.inner_text()
    assert axe(page) == []
    page.locator("select[name='d-Sex']").select_option("Female")
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_url("**d-Sex=Female**")
    assert rows.count() == 1
    expected = "الجنس: إناث" if language == "ar" else "Sex: Female"
    assert expected in rows.first.inner_text()
    assert "61" in rows.first.inner_text()
    assert axe(page) == []


@pytest.mark.parametrize("language", ["en", "ar"])
def test_objective_report(page, axe, live_server, data, language):
    _language(page, live_server, language)
    page.goto("/tracking/reports/objectives/15/")
    assert page.locator("[data-figure='1']").inner_text() == "2"
    assert axe(page) == []


def test_focal_point_makes_a_pledge(page, axe, live_server, data):
    """A government focal point signs in, fills the pledge form (a too-short description is
    refused with a clear error), then saves a draft."""
    from compacts.tracking.models import Pledge
    from compacts.tracking.tests.factories import DESCRIPTION

    data.focal.set_password("pw-focal-123")
    data.focal.save()
    page.goto("/accounts/login/?next=/tracking/pledges/new/")
    page.locator("input[name=username]").fill("focal")
    page.locator("input[name=password]").fill("pw-focal-123")
    page.locator("form button[type=submit], form input[type=submit]").last.click()
    page.wait_for_url("**/tracking/pledges/new/")
    assert axe(page) == []
    page.locator("#id_title").fill("Interpreters in public hospitals")
    page.locator("#id_pledge_type").select_option("human-resources")
    page.locator("#id_objectives").select_option(label="15. Objective 15")
    page.locator("#id_description").fill("Too short.")
    page.locator("form.form button[type=submit]").click()
    assert (
        page.locator(".field-error")
        .first.inner_text()
        .startswith("The description has 10 characters")
    )
    before = Pledge.objects.count()
    page.locator("#id_description").fill(DESCRIPTION)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url("**/tracking/pledges/*/")
    assert Pledge.objects.count() == before + 1
    assert Pledge.objects.latest("pk").state == "draft"
