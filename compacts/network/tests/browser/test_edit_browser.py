"""The edit pages in a real browser, in English and Arabic, with axe-core checks: the Secretariat
manages a working group, plans an event, drafts a call and adds a library resource; a mistake
shows a clear error and keeps what was typed. The networks page shows the map and its table."""

import datetime

import pytest

from compacts.actors import roles
from compacts.actors.testing import organisation_for_tests, user_with_role
from compacts.network.models import CallForPractices, CountryNetwork, Event, Resource
from compacts.network.tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-test-password-1"


@pytest.fixture
def data():
    region = factories.RegionFactory(m49="002", name="Africa", names={"ar": "أفريقيا"})
    kenya = factories.CountryFactory(
        iso2="KE", m49="404", name="Kenya", region=region, names={"ar": "كينيا"}
    )
    CountryNetwork.objects.create(
        kind="country",
        name="UN Network on Migration in Kenya",
        country=kenya,
        region=region,
        state="established",
        established_on=datetime.date(2020, 5, 1),
    )
    factories.ObjectiveFactory(number=15, short_label="Access to basic services")
    factories.TermFactory(vocabulary="event-type", code="webinar", name="Webinar")
    factories.TermFactory(vocabulary="resource-type", code="guidance", name="Guidance")
    who = organisation_for_tests(name="World Health Organization")
    return {
        "who": who,
        "secretariat": user_with_role(roles.NETWORK_SECRETARIAT, username="sec", password=PASSWORD),
        "group": factories.WorkingGroupFactory(code="6", name="Access to services"),
    }


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_secretariat_uses_the_edit_pages(sign_in, page, axe, live_server, data, language, snap):
    group = data["group"]
    sign_in("sec", PASSWORD, next_url="/network/", language=language)
    # A working group: terms of reference, a member, an activity.
    page.goto(f"/network/working-groups/{group.code}/manage/")
    assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
    assert axe(page) == []
    page.locator("#id_details-terms_of_reference").fill("Coordinate access to services.")
    page.locator("form:has(#id_details-description) button[type=submit]").click()
    page.wait_for_load_state()
    page.locator("#id_member-organisation").select_option(str(data["who"].pk))
    page.locator("#id_member-role").select_option("co-lead")
    page.locator("form:has(#id_member-organisation) button[type=submit]").click()
    page.wait_for_load_state()
    page.locator("#id_activity-title").fill("Map health services")
    page.locator("#id_activity-starts_on").fill("2025-06-01")
    page.locator("#id_activity-ends_on").fill("2025-01-01")
    page.locator("form:has(#id_activity-title) button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".form-errors").is_visible()
    assert page.locator("#id_activity-title").input_value() == "Map health services"
    snap(page, f"wg-error-{language}")
    assert axe(page) == []
    page.locator("#id_activity-ends_on").fill("2025-12-31")
    page.locator("form:has(#id_activity-title) button[type=submit]").click()
    page.wait_for_load_state()
    assert group.activities.filter(title="Map health services").exists()
    assert group.members.filter(role="co-lead").exists()
    # An event: planned, then managed.
    page.goto("/network/events/new/")
    assert axe(page) == []
    page.locator("#id_title").fill("Webinar on vaccination")
    page.locator("#id_event_type").select_option(label="Webinar")
    page.locator("#id_starts_at").fill("2030-03-10T10:00")
    page.locator("#id_ends_at").fill("2030-03-10T12:00")
    page.locator("#id_registration_deadline").fill("2030-03-08T12:00")
    page.locator("#id_capacity").fill("40")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    event = Event.objects.get(title="Webinar on vaccination")
    assert page.url.endswith(f"/network/events/{event.pk}/manage/")
    assert axe(page) == []
    page.locator("main form button[value=open]").click()
    page.wait_for_load_state()
    event.refresh_from_db()
    assert event.state == "open"
    # A call for practices and a library resource.
    page.goto("/network/hub/calls/new/")
    page.locator("#id_title").fill("Call on migration data")
    page.locator("#id_theme").fill("Migration data")
    page.locator("#id_opens_on").fill("2030-01-01")
    page.locator("#id_deadline").fill("2030-07-31")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    call = CallForPractices.objects.get()
    assert axe(page) == []
    page.locator("main form button[value=announced]").click()
    page.wait_for_load_state()
    call.refresh_from_db()
    assert call.state == "announced"
    page.goto("/network/hub/library/new/")
    assert axe(page) == []
    page.locator("#id_title").fill("Guidance on health plans")
    page.locator("#id_resource_type").select_option(label="Guidance")
    page.locator("#id_keywords").fill("vaccination, health")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert Resource.objects.filter(title="Guidance on health plans").exists()
    page.goto("/network/hub/library/?q=vaccination")
    assert page.locator("#resource-" + str(Resource.objects.get().pk)).is_visible()
    assert axe(page) == []


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_networks_map_and_table(page, axe, live_server, data, language):
    page.set_default_timeout(60_000)
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page.goto("/network/networks/?region=002")
    assert page.locator("figure table").is_visible()
    assert page.locator("figure table tbody tr").count() == 1
    page.locator("figure [data-figure-chart] svg").first.wait_for()
    assert axe(page) == []
