"""The hub's submission-to-publication (a file attached to the draft and removed on the way) and
the life of a support request, in a real browser, in English and Arabic, with axe-core checks on
every page visited."""

import pytest

from compacts.actors import roles
from compacts.actors.testing import organisation_for_tests, user_with_role
from compacts.network.models import Attachment, Practice, SupportRequest
from compacts.network.tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-test-password-1"


@pytest.fixture
def data():
    region = factories.RegionFactory(m49="002", name="Africa", names={"ar": "أفريقيا"})
    factories.CountryFactory(
        iso2="KE", m49="404", name="Kenya", region=region, names={"ar": "كينيا"}
    )
    factories.ObjectiveFactory(number=15, short_label="Access to basic services")
    factories.PrincipleFactory(letter="c", name="Human rights")
    return {
        "submitter": user_with_role(
            roles.STAKEHOLDER_CONTRIBUTOR, username="sub", password=PASSWORD
        ),
        "secretariat": user_with_role(roles.NETWORK_SECRETARIAT, username="sec", password=PASSWORD),
        "government": user_with_role(
            roles.GOVERNMENT_FOCAL_POINT, username="gov", password=PASSWORD
        ),
        "partner": organisation_for_tests(name="Implementing partner"),
    }


def _language(page, live_server, language):
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )


@pytest.mark.parametrize("language", ["en", "ar"])
def test_a_practice_from_submission_to_publication(
    sign_in, page, axe, live_server, data, language, snap
):
    sign_in("sub", PASSWORD, next_url="/network/hub/practices/new/")
    _language(page, live_server, language)
    page.goto("/network/hub/practices/new/")
    assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
    assert axe(page) == []
    page.locator("#id_title").fill("Mobile clinics for migrants")
    page.locator("#id_description").fill("Clinics reach migrants along the route.")
    page.locator("button[name=submit]").click()
    # Refused: the missing fields are named, and what was typed is still there.
    page.locator("#missing-summary").wait_for()
    assert page.locator("#missing-summary li").count() == 7
    assert page.locator("#id_title").input_value() == "Mobile clinics for migrants"
    assert axe(page) == []
    practice = Practice.objects.get()
    assert practice.state == "draft"
    # A file attached to the draft, then removed from the edit page: the button asks first.
    page.locator("#id_attachment").set_input_files(
        files=[{"name": "report.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.7 r"}]
    )
    with page.expect_navigation():
        page.locator("button[name=save]").click()
    attachment = Attachment.objects.get()
    snap(page, f"practice-attached-{language}")
    with page.expect_navigation():
        page.locator(f"form[action$='/hub/attachments/{attachment.pk}/remove/'] button").click()
    assert "report.pdf" in page.locator("main h1").inner_text()
    snap(page, f"practice-attachment-remove-{language}")
    assert axe(page) == []
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.url.endswith(f"/network/hub/practices/{practice.pk}/edit/"), page.url
    assert not Attachment.objects.exists()
    assert axe(page) == []
    page.locator("#id_countries").select_option(label="كينيا" if language == "ar" else "Kenya")
    page.locator("#field-objectives input[type=checkbox]").first.check()
    page.locator("#field-principles input[type=checkbox]").first.check()
    page.locator("#id_starts_on").fill("2020-03-01")
    page.locator("#id_results").fill("12,000 consultations.")
    page.locator("#id_innovation").fill("Shared records.")
    page.locator("#id_replicability").fill("Any corridor.")
    page.locator("button[name=submit]").click()
    page.locator("h1", has_text="Mobile clinics for migrants").wait_for()
    assert page.url.endswith(f"/network/hub/practices/{practice.pk}/"), page.url
    practice.refresh_from_db()
    assert practice.state == "submitted"

    sign_in("sec", PASSWORD, next_url="/network/secretariat/")
    _language(page, live_server, language)
    page.goto("/network/secretariat/")
    assert axe(page) == []
    page.locator(f"a[href='/network/hub/practices/{practice.pk}/']").first.click()
    page.locator("button[value=in-review]").click()
    page.locator("button[value=published]").wait_for()
    page.locator("button[value=published]").click()
    page.wait_for_load_state()
    practice.refresh_from_db()
    assert practice.state == "published"

    page.context.clear_cookies()
    _language(page, live_server, language)
    page.goto("/network/hub/?q=clinics")
    assert page.locator(".results h3").count() == 1
    assert "Mobile clinics" in page.locator(".results h3").first.inner_text()
    assert axe(page) == []


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_life_of_a_support_request(sign_in, page, axe, live_server, data, language):
    sign_in("gov", PASSWORD, next_url="/network/requests/new/")
    _language(page, live_server, language)
    page.goto("/network/requests/new/")
    assert axe(page) == []
    page.locator("#id_title").fill("Drafting a national plan")
    page.locator("#id_country").select_option(label="كينيا" if language == "ar" else "Kenya")
    page.locator("#id_description").fill("Help to draft and cost a plan.")
    page.locator("main form button[type=submit]").click()
    page.locator("h1", has_text="Drafting a national plan").wait_for()
    request = SupportRequest.objects.get()
    assert request.state == "received"

    sign_in("sec", PASSWORD, next_url=f"/network/requests/{request.pk}/")
    _language(page, live_server, language)
    page.goto(f"/network/requests/{request.pk}/")
    assert axe(page) == []
    page.locator("#id_match-partners").select_option(
        label="T" + str(data["partner"].short_name[1:])
    )
    page.locator("input[name=action][value=match] ~ button").click()
    page.locator("#summary").wait_for()
    page.locator("#summary").fill("Two workshops with the ministry.")
    page.locator("input[name=action][value=support] ~ button").click()
    page.locator("#reference").wait_for()
    page.locator("#reference").fill("CN-42")
    page.locator("input[name=action][value=concept-note] ~ button").click()
    page.wait_for_load_state()
    page.locator("#close-note").fill("Plan adopted.")
    page.locator("input[name=action][value=close] ~ button").click()
    page.wait_for_load_state()
    request.refresh_from_db()
    assert (request.state, request.concept_note_reference, request.outcome) == (
        "closed",
        "CN-42",
        "Plan adopted.",
    )
    assert axe(page) == []


@pytest.mark.parametrize("language", ["en", "ar"])
def test_public_pages_and_event_registration(sign_in, page, axe, live_server, data, language):
    network = factories.CountryNetworkFactory(
        country=factories.CountryFactory(iso2="EC", name="Ecuador"), is_illustrative=True
    )
    event = factories.EventFactory(country_network=network, capacity=1, is_illustrative=True)
    factories.WorkingGroupFactory(code="6", name="Access to services")
    page.set_default_timeout(60_000)
    _language(page, live_server, language)
    for path in (
        "/network/",
        "/network/working-groups/",
        "/network/networks/",
        f"/network/networks/{network.pk}/",
        "/network/events/",
        "/network/hub/",
        "/network/hub/library/",
        "/network/hub/calls/",
    ):
        page.goto(path)
        assert page.locator("h1").count() == 1, path
        assert axe(page) == [], path
    sign_in("sub", PASSWORD, next_url=f"/network/events/{event.pk}/")
    _language(page, live_server, language)
    page.goto(f"/network/events/{event.pk}/")
    page.locator("#id_organisation_name").fill("Migrant Rights Network")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert event.registrations.count() == 1
    assert axe(page) == []
