"""The recording pages in a real browser, in English and Arabic, checked by axe-core: national
plans, voluntary national reviews (htmx attachment upload), Global Refugee Forum pledges and
taking part in the reviews."""

from urllib.parse import urlsplit

import pytest

from compacts.tracking.models import (
    GcrPledge,
    GcrPledgeStage,
    ImrfEdition,
    NationalReview,
    PlanAction,
    PlanVersion,
    RegionalCommission,
    RegionalReview,
    StakeholderRegistration,
)
from compacts.tracking.tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pw-browser-123"  # noqa: S105 (a test account)


@pytest.fixture
def world():
    morocco = f.country()
    morocco.names = {"ar": "المغرب", "fr": "Maroc"}
    morocco.save(update_fields=["names"])
    for number in (15, 16):
        f.objective(number)
    f.principle("f")
    f.gcr_objective(1)
    f.gcr_area()
    state = f.organisation("Kingdom of Morocco", country_obj=morocco)
    ngo = f.organisation("Migrant Voices", "migrant-diaspora")
    commission = RegionalCommission.objects.create(
        code="ECA", name="Economic Commission for Africa"
    )
    RegionalReview.objects.create(commission=commission, round=2, year=2024)
    ImrfEdition.objects.create(year=2026, title="IMRF 2026")
    GcrPledgeStage.objects.create(code="in-progress", name="In progress")
    people = {
        "focal": f.user("focal", roles=[("government-focal-point", state)]),
        "ngo": f.user("ngo", roles=[("stakeholder-contributor", ngo)]),
        "secretariat": f.secretariat_user(),
    }
    for person in people.values():
        person.set_password(PASSWORD)
        person.save()
    return {"morocco": morocco, "state": state, "ngo": ngo, **people}


def sign_in(page, live_server, user, language, next_url):
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page.goto(f"/accounts/login/?next={next_url}")
    page.locator("input[name=username]").fill(user.username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit], main form input[type=submit]").last.click()
    page.wait_for_url(f"**{next_url}")
    assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")


def submit(page):
    page.locator("main form.form button[type=submit]").last.click()


@pytest.mark.parametrize("language", ["en", "ar"])
def test_plan_forms(page, axe, live_server, world, language, snap):
    """A focal point starts a plan (a reversed period is refused with the typed values kept),
    adds an action and submits the version for publication."""
    sign_in(page, live_server, world["focal"], language, "/tracking/plans/new/")
    assert axe(page) == []
    page.locator("#id_country").select_option(str(world["morocco"].pk))
    page.locator("#id_title").fill("National GCM plan")
    page.locator("#id_period_start").fill("2026")
    page.locator("#id_period_end").fill("2024")
    page.locator("#id_amount").fill("2500000")
    page.locator("#id_currency").fill("MAD")
    submit(page)
    assert page.locator(".form-errors").is_visible()
    assert page.locator("#id_title").input_value() == "National GCM plan"
    assert page.locator("#id_period_end").get_attribute("aria-invalid") == "true"
    assert axe(page) == []
    snap(page, f"plan-error-{language}")
    assert not PlanVersion.objects.exists()
    page.locator("#id_period_end").fill("2030")
    submit(page)
    page.wait_for_url("**/tracking/plans/*/")
    version = PlanVersion.objects.get()
    page.locator("#id_title").fill("Health cards for migrants")
    page.locator("#id_lead_ministry").fill("Ministry of Health")
    page.locator("#id_objectives").select_option(str(f.objective(15).pk))
    submit(page)
    page.wait_for_load_state()
    assert PlanAction.objects.filter(version=version).count() == 1
    assert page.locator("table tbody tr").first.inner_text().startswith("Health cards")
    assert axe(page) == []
    page.locator("form:has(input[name=to][value=submitted]) button").click()
    page.wait_for_load_state()
    version.refresh_from_db()
    assert version.state == "submitted"
    assert page.locator("[data-state=submitted]").count() == 1


@pytest.mark.parametrize("language", ["en", "ar"])
def test_national_review_forms(page, axe, live_server, world, language):
    """A focal point drafts a voluntary national review, attaches a file through htmx (a
    refused file type is explained in place) and submits it."""
    sign_in(page, live_server, world["focal"], language, "/tracking/reviews/new/")
    assert axe(page) == []
    page.locator("#id_country").select_option(str(world["morocco"].pk))
    page.locator("#id_title").fill("Morocco VNR 2024")
    submit(page)  # no forum chosen
    assert page.locator("#id_forum").get_attribute("aria-invalid") == "true"
    assert not NationalReview.objects.exists()
    page.locator("#id_forum").select_option(index=2)  # the regional review
    submit(page)
    page.wait_for_url("**/tracking/reviews/*/")
    review = NationalReview.objects.get()
    assert review.regional_review is not None
    page.locator("#id_file").set_input_files(
        files=[{"name": "notes.exe", "mimeType": "application/octet-stream", "buffer": b"MZ"}]
    )
    page.locator("#review-attachments button[type=submit]").click()
    page.locator("#review-attachments .form-errors").wait_for()
    assert "exe" in page.locator("#review-attachments .form-errors").inner_text()
    page.locator("#id_title").fill("Full report")
    page.locator("#id_file").set_input_files(
        files=[{"name": "vnr.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4"}]
    )
    page.locator("#review-attachments button[type=submit]").click()
    page.locator("#review-attachments a", has_text="Full report").wait_for()
    assert review.attachments.count() == 1
    assert axe(page) == []
    page.locator("form:has(input[name=to][value=submitted]) button").click()
    page.wait_for_load_state()
    review.refresh_from_db()
    assert review.state == "submitted"


@pytest.mark.parametrize("language", ["en", "ar"])
def test_gcr_pledge_form(page, axe, live_server, world, language):
    """A stakeholder records a resettlement pledge (without places it is refused) and sees it."""
    sign_in(page, live_server, world["ngo"], language, "/tracking/gcr-pledges/new/")
    assert axe(page) == []
    page.locator("#id_title").fill("Resettlement places 2024-2026")
    page.locator("#id_pledge_type").select_option("resettlement")
    page.locator("#id_gcr_objective").select_option(str(f.gcr_objective(1).pk))
    page.locator("#id_description").fill("Places for refugees from the region.")
    submit(page)
    assert page.locator(".form-errors").is_visible()
    assert page.locator("#id_description").input_value() == "Places for refugees from the region."
    assert not GcrPledge.objects.exists()
    page.locator("#id_resettlement_places").fill("250")
    submit(page)
    page.wait_for_url("**/tracking/gcr-pledges/*/")
    assert GcrPledge.objects.get().resettlement_places == 250
    assert axe(page) == []


@pytest.mark.parametrize("language", ["en", "ar"])
def test_gcr_pledge_edit(page, axe, live_server, world, language, snap):
    """From the pledge's page a stakeholder opens the edit page (filled in with the pledge),
    gives an amount without its currency (refused: what was typed stays, the summary links to
    the field), then saves a correct edit."""
    from compacts.actors.models import Organisation
    from compacts.tracking.services import pledges as pledge_services

    pledge = pledge_services.gcr_pledge_create(
        data=pledge_services.GcrPledgeInput(
            title="Resettlement places 2024-2026", pledge_type="resettlement",
            description="Places for refugees from the region.", forum_year=2023,
            organisation=Organisation.objects.get(name="Migrant Voices"),
            gcr_objective=f.gcr_objective(1), resettlement_places=250,
        ),
        actor=world["ngo"],
    )  # fmt: skip
    detail = f"/tracking/gcr-pledges/{pledge.pk}/"
    sign_in(page, live_server, world["ngo"], language, detail)
    page.locator(f"a[href='{detail}edit/']").click()
    page.wait_for_url(f"**{detail}edit/")
    assert page.locator("#id_title").input_value() == "Resettlement places 2024-2026"
    assert page.locator("#id_resettlement_places").input_value() == "250"
    assert axe(page) == []
    page.locator("#id_title").fill("Resettlement places 2025-2027")
    page.locator("#id_resettlement_places").fill("300")
    page.locator("#id_amount").fill("1000")
    submit(page)
    summary = page.locator(".form-errors")
    assert summary.is_visible()
    assert page.locator("#id_currency").get_attribute("aria-invalid") == "true"
    assert page.locator("#id_title").input_value() == "Resettlement places 2025-2027"
    assert page.locator("#id_resettlement_places").input_value() == "300"
    assert axe(page) == []
    snap(page, f"gcr-edit-error-{language}")
    pledge.refresh_from_db()
    assert pledge.title == "Resettlement places 2024-2026"
    summary.locator("a[href='#id_currency']").click()
    assert page.evaluate("document.activeElement.id") == "id_currency"
    page.locator("#id_currency").fill("usd")
    submit(page)
    # The redirect keeps the #id_currency fragment the error link added (RFC 9110 §10.2.2).
    page.wait_for_url(lambda url: urlsplit(url).path == detail)
    pledge.refresh_from_db()
    assert (pledge.title, pledge.resettlement_places, pledge.currency) == (
        "Resettlement places 2025-2027",
        300,
        "USD",
    )
    assert page.locator("h1").inner_text().startswith("Resettlement places 2025-2027")
    assert axe(page) == []


@pytest.mark.parametrize("language", ["en", "ar"])
def test_participation(page, axe, live_server, world, language):
    """A stakeholder registers for the IMRF; the secretariat's queue shows it to accept."""
    sign_in(page, live_server, world["ngo"], language, "/tracking/review-cycle/register/")
    assert axe(page) == []
    page.locator("#id_forum").select_option(index=1)  # IMRF 2026
    page.locator("#id_participant_name").fill("Amina Diallo")
    submit(page)
    page.wait_for_url("**/tracking/review-cycle/participation/")
    assert StakeholderRegistration.objects.get().participant_name == "Amina Diallo"
    assert axe(page) == []
    page.context.clear_cookies()
    sign_in(
        page, live_server, world["secretariat"], language, "/tracking/review-cycle/participation/"
    )
    assert axe(page) == []
    page.locator("form:has(input[value=accept]) button").click()
    page.wait_for_load_state()
    assert StakeholderRegistration.objects.get().status == "accepted"
