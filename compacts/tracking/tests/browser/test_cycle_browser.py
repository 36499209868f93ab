"""The Secretariat's review-cycle pages in a real browser, in English and Arabic, checked by
axe-core: tracking a Progress Declaration commitment, moving it, editing it (and moving it to
another IMRF); the provisional reference rows (IMRF editions, round tables, regional commissions
and reviews, GCR pledge stages): the list, and adding and editing each; deleting a round
table, a regional review and a commission, and the refusal to delete a commission that still
has reviews."""

import pytest

from compacts.tracking.models import (
    Commitment,
    GcrPledgeStage,
    ImrfEdition,
    RegionalCommission,
    RegionalReview,
    RoundTable,
)
from compacts.tracking.tests import factories as f
from compacts.tracking.tests.browser.test_forms_browser import PASSWORD, sign_in, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def secretariat():
    ImrfEdition.objects.create(year=2022, title="IMRF 2022")
    person = f.secretariat_user()
    person.set_password(PASSWORD)
    person.save()
    return person


@pytest.mark.parametrize("language", ["en", "ar"])
def test_commitment_pages(page, axe, live_server, secretariat, language, snap):
    """From the review cycle page the secretariat tracks paragraph 76 (a missing title is
    refused, what was typed stays), drops it without a reason (refused, the error links to the
    note), then edits it; every page passes axe-core."""
    sign_in(page, live_server, secretariat, language, "/tracking/review-cycle/")
    page.locator("a[href='/tracking/review-cycle/commitments/new/']").click()
    page.wait_for_url("**/tracking/review-cycle/commitments/new/")
    assert axe(page) == []
    page.locator("#id_edition").select_option(index=1)
    page.locator("#id_paragraph").fill("76")
    page.locator("#id_text").fill("Recommendations on missing migrants.")
    page.locator("#id_owner_label").fill("UN Secretary-General")
    submit(page)
    assert page.locator(".form-errors a[href='#id_title']").is_visible()
    assert page.locator("#id_title").get_attribute("aria-invalid") == "true"
    assert page.locator("#id_owner_label").input_value() == "UN Secretary-General"
    assert axe(page) == []
    snap(page, f"commitment-error-{language}")
    assert not Commitment.objects.exists()
    page.locator("#id_title").fill("Missing migrants")
    submit(page)
    page.wait_for_url("**/tracking/review-cycle/commitments/*/")
    commitment = Commitment.objects.get()
    assert page.locator("[data-state=open]").count() == 1
    options = page.locator("#id_move-to option").evaluate_all("os => os.map(o => o.value)")
    assert [value for value in options if value] == ["in-progress", "dropped"]
    assert axe(page) == []
    page.locator("#id_move-to").select_option("dropped")
    submit(page)
    assert page.locator("#id_move-note").get_attribute("aria-invalid") == "true"
    assert page.locator(".form-errors a[href='#id_move-note']").is_visible()
    assert axe(page) == []
    snap(page, f"commitment-move-error-{language}")
    commitment.refresh_from_db()
    assert commitment.state == "open"
    page.locator("#id_move-to").select_option("in-progress")
    submit(page)
    page.wait_for_url(f"**/tracking/review-cycle/commitments/{commitment.pk}/")
    assert page.locator("[data-state=in-progress]").count() == 1
    page.locator(f"a[href='/tracking/review-cycle/commitments/{commitment.pk}/edit/']").click()
    page.wait_for_url("**/edit/")
    assert page.locator("#id_title").input_value() == "Missing migrants"
    assert axe(page) == []
    page.locator("#id_title").fill("Missing migrants and migrants in distress")
    submit(page)
    page.wait_for_url(f"**/tracking/review-cycle/commitments/{commitment.pk}/")
    assert page.locator("h1").inner_text().startswith("Missing migrants and migrants in distress")
    commitment.refresh_from_db()
    assert (commitment.title, commitment.state) == (
        "Missing migrants and migrants in distress",
        "in-progress",
    )
    page.goto("/tracking/review-cycle/")
    assert axe(page) == []


@pytest.fixture
def reference(secretariat):
    edition = ImrfEdition.objects.get(year=2022)
    table = RoundTable.objects.create(edition=edition, number=4, status="provisional")
    table.objectives.set([f.objective(1), f.objective(3)])
    f.objective(7)
    stage = GcrPledgeStage.objects.create(code="planning", name="Planning stage", sort_order=10)
    return {"edition": edition, "table": table, "stage": stage}


@pytest.mark.parametrize("language", ["en", "ar"])
def test_edition_and_round_table_pages(page, axe, live_server, secretariat, reference,
                                       language, snap):  # fmt: skip
    """From the review cycle page the secretariat opens the reference data (it says the values
    are provisional and editable), confirms the IMRF's dates, adds a round table (an objective
    of round table 4 is refused, named next to the field), then edits round table 4."""
    edition, table = reference["edition"], reference["table"]
    sign_in(page, live_server, secretariat, language, "/tracking/review-cycle/")
    page.locator("a[href='/tracking/review-cycle/reference/']").click()
    page.wait_for_url("**/tracking/review-cycle/reference/")
    assert page.locator(".notice").is_visible()
    assert page.locator("[data-status=provisional]").count() == 3  # IMRF, round table, stage
    assert axe(page) == []
    snap(page, f"reference-list-{language}")
    page.locator(f"a[href$='/imrf/{edition.pk}/edit/']").click()
    page.wait_for_url("**/edit/")
    assert page.locator(".notice").is_visible()
    assert axe(page) == []
    page.locator("#id_starts_on").fill("2022-05-20")
    page.locator("#id_ends_on").fill("2022-05-17")
    page.locator("#id_place").fill("United Nations Headquarters")
    submit(page)
    assert page.locator("#id_ends_on").get_attribute("aria-invalid") == "true"
    assert page.locator("#id_place").input_value() == "United Nations Headquarters"
    assert axe(page) == []
    edition.refresh_from_db()
    assert edition.starts_on is None
    page.locator("#id_starts_on").fill("2022-05-17")
    page.locator("#id_ends_on").fill("2022-05-20")
    page.locator("#id_status").select_option("confirmed")
    submit(page)
    page.wait_for_url("**/tracking/review-cycle/reference/")
    edition.refresh_from_db()
    assert (edition.place, edition.status) == ("United Nations Headquarters", "confirmed")
    page.locator(f"a[href$='/imrf/{edition.pk}/round-tables/new/']").click()
    page.wait_for_url("**/round-tables/new/")
    assert axe(page) == []
    page.locator("#id_number").fill("1")
    page.locator("#id_objectives").select_option([str(f.objective(3).pk), str(f.objective(7).pk)])
    submit(page)
    error = page.locator(".form-errors a[href='#id_objectives']")
    assert error.is_visible()
    assert page.locator("#id_objectives").get_attribute("aria-invalid") == "true"
    assert axe(page) == []
    snap(page, f"round-table-error-{language}")
    assert RoundTable.objects.count() == 1
    page.locator("#id_objectives").select_option([str(f.objective(7).pk)])
    submit(page)
    page.wait_for_url("**/tracking/review-cycle/reference/")
    assert RoundTable.objects.count() == 2
    page.locator(f"a[href$='/round-tables/{table.pk}/edit/']").click()
    page.wait_for_url("**/edit/")
    assert page.locator("#id_number").input_value() == "4"
    assert axe(page) == []
    page.locator("#id_status").select_option("confirmed")
    submit(page)
    page.wait_for_url("**/tracking/review-cycle/reference/")
    table.refresh_from_db()
    assert table.status == "confirmed"
    assert page.locator("[data-status=provisional]").count() == 2  # stage, new round table


@pytest.mark.parametrize("language", ["en", "ar"])
def test_gcr_stage_pages(page, axe, live_server, secretariat, reference, language, snap):
    """The secretariat adds a GCR pledge stage (a code with capitals is refused) and translates
    an existing one; the Arabic name shows on the list in Arabic."""
    stage = reference["stage"]
    sign_in(page, live_server, secretariat, language, "/tracking/review-cycle/reference/")
    page.locator("a[href$='/gcr-stages/new/']").click()
    page.wait_for_url("**/gcr-stages/new/")
    assert page.locator(".notice").is_visible()
    assert axe(page) == []
    page.locator("#id_code").fill("On Hold")
    page.locator("#id_name").fill("On hold")
    page.locator("#id_name_fr").fill("En attente")
    page.locator("#id_sort_order").fill("15")
    submit(page)
    assert page.locator("#id_code").get_attribute("aria-invalid") == "true"
    assert page.locator("#id_name_fr").input_value() == "En attente"
    assert axe(page) == []
    snap(page, f"stage-error-{language}")
    assert GcrPledgeStage.objects.count() == 1
    page.locator("#id_code").fill("on-hold")
    submit(page)
    page.wait_for_url("**/tracking/review-cycle/reference/")
    assert GcrPledgeStage.objects.get(code="on-hold").names == {"fr": "En attente"}
    page.locator(f"a[href$='/gcr-stages/{stage.pk}/edit/']").click()
    page.wait_for_url("**/edit/")
    assert page.locator("#id_code").count() == 0
    assert axe(page) == []
    page.locator("#id_name_ar").fill("مرحلة التخطيط")
    submit(page)
    page.wait_for_url("**/tracking/review-cycle/reference/")
    stage.refresh_from_db()
    assert stage.names == {"ar": "مرحلة التخطيط"}
    expected = "مرحلة التخطيط" if language == "ar" else "Planning stage"
    assert page.locator("#stages-heading ~ table tbody th", has_text=expected).count() == 1
    assert axe(page) == []


@pytest.mark.parametrize("language", ["en", "ar"])
def test_regional_pages_and_round_table_deletion(page, axe, live_server, secretariat, reference,
                                                 language, snap):  # fmt: skip
    """The secretariat adds a commission (a lower-case code is refused, the error linked to the
    field), adds a review to it (a first day outside its year is refused), confirms it, then
    deletes round table 4 after a confirmation page; every page passes axe-core."""
    ece = RegionalCommission.objects.create(code="ECE", name="Economic Commission for Europe")
    RegionalReview.objects.create(commission=ece, round=2, year=2024, place="Geneva")
    sign_in(page, live_server, secretariat, language, "/tracking/review-cycle/reference/")
    assert page.locator("#commissions-heading").is_visible()
    assert page.locator("[data-status=provisional]").count() == 5  # + ECE and its review
    assert axe(page) == []
    snap(page, f"reference-regional-list-{language}")
    page.locator("a[href$='/reference/commissions/new/']").click()
    page.wait_for_url("**/commissions/new/")
    assert page.locator(".notice").is_visible()
    assert axe(page) == []
    page.locator("#id_code").fill("eca")
    page.locator("#id_name").fill("Economic Commission for Africa")
    page.locator("#id_name_ar").fill("اللجنة الاقتصادية لأفريقيا")
    submit(page)
    assert page.locator(".form-errors a[href='#id_code']").is_visible()
    assert page.locator("#id_code").get_attribute("aria-invalid") == "true"
    assert page.locator("#id_name_ar").input_value() == "اللجنة الاقتصادية لأفريقيا"
    assert axe(page) == []
    snap(page, f"commission-error-{language}")
    assert RegionalCommission.objects.count() == 1
    page.locator("#id_code").fill("ECA")
    submit(page)
    page.wait_for_url("**/tracking/review-cycle/reference/")
    eca = RegionalCommission.objects.get(code="ECA")
    arabic = "اللجنة الاقتصادية لأفريقيا"
    expected = arabic if language == "ar" else "Economic Commission for Africa"
    assert page.locator("#commissions-heading ~ table td", has_text=expected).count() == 1
    page.locator(f"a[href$='/commissions/{eca.pk}/reviews/new/']").click()
    page.wait_for_url("**/reviews/new/")
    assert page.locator("#id_round").input_value() == "1"
    assert axe(page) == []
    page.locator("#id_year").fill("2021")
    page.locator("#id_starts_on").fill("2020-07-12")
    page.locator("#id_place").fill("Addis Ababa")
    submit(page)
    assert page.locator(".form-errors a[href='#id_starts_on']").is_visible()
    assert page.locator("#id_place").input_value() == "Addis Ababa"
    assert axe(page) == []
    assert not eca.reviews.exists()
    page.locator("#id_starts_on").fill("2021-07-12")
    page.locator("#id_ends_on").fill("2021-07-13")
    page.locator("#id_status").select_option("confirmed")
    submit(page)
    page.wait_for_url("**/tracking/review-cycle/reference/")
    review = eca.reviews.get()
    assert (review.round, review.status, review.place) == (1, "confirmed", "Addis Ababa")
    page.locator(f"a[href$='/regional-reviews/{review.pk}/edit/']").click()
    page.wait_for_url("**/edit/")
    assert page.locator("#id_place").input_value() == "Addis Ababa"
    assert axe(page) == []
    page.go_back()
    table = reference["table"]
    page.locator(f"a[href$='/round-tables/{table.pk}/delete/']").click()
    page.wait_for_url("**/delete/")
    assert page.locator("h1").is_visible()
    assert axe(page) == []
    snap(page, f"round-table-delete-{language}")
    assert RoundTable.objects.filter(pk=table.pk).exists()  # nothing deleted by showing it
    submit(page)
    page.wait_for_url("**/tracking/review-cycle/reference/")
    assert not RoundTable.objects.filter(pk=table.pk).exists()
    assert page.locator(f"a[href$='/round-tables/{table.pk}/edit/']").count() == 0
    assert axe(page) == []


@pytest.mark.parametrize("language", ["en", "ar"])
def test_regional_review_and_commission_deletion(page, axe, live_server, secretariat, language,
                                                 snap):  # fmt: skip
    """The list shows each commission's status (the shipped ones confirmed); deleting ECE is
    refused while it has a review (the page says why and offers no button, and nothing
    changes); the secretariat deletes the review after a confirmation page, then ECE; every
    page passes axe-core."""
    ece = RegionalCommission.objects.create(
        code="ECE", name="Economic Commission for Europe", status="confirmed",
        names={"ar": "اللجنة الاقتصادية لأوروبا"},
    )  # fmt: skip
    RegionalCommission.objects.create(code="ECX", name="Example commission")
    review = RegionalReview.objects.create(commission=ece, round=2, year=2024, place="Geneva")
    sign_in(page, live_server, secretariat, language, "/tracking/review-cycle/reference/")
    rows = page.locator("#commissions-heading ~ table tbody tr")
    assert rows.nth(0).locator("[data-status=confirmed]").count() == 1  # ECE
    assert rows.nth(1).locator("[data-status=provisional]").count() == 1  # ECX
    page.locator(f"a[href$='/commissions/{ece.pk}/delete/']").click()
    page.wait_for_url(f"**/commissions/{ece.pk}/delete/")
    assert page.locator("#refusal").is_visible()
    assert page.locator("main button[type=submit]").count() == 0
    assert axe(page) == []
    snap(page, f"commission-delete-refused-{language}")
    page.locator("main a.button").last.click()
    page.wait_for_url("**/tracking/review-cycle/reference/")
    assert RegionalCommission.objects.filter(pk=ece.pk).exists()
    page.locator(f"a[href$='/regional-reviews/{review.pk}/delete/']").click()
    page.wait_for_url(f"**/regional-reviews/{review.pk}/delete/")
    assert page.locator("dd", has_text="Geneva").is_visible()
    assert axe(page) == []
    snap(page, f"regional-review-delete-{language}")
    assert RegionalReview.objects.filter(pk=review.pk).exists()  # nothing deleted by showing it
    submit(page)
    page.wait_for_url("**/tracking/review-cycle/reference/")
    assert not RegionalReview.objects.filter(pk=review.pk).exists()
    assert page.locator(".messages").is_visible()
    assert axe(page) == []
    page.locator(f"a[href$='/commissions/{ece.pk}/delete/']").click()
    page.wait_for_url(f"**/commissions/{ece.pk}/delete/")
    assert page.locator("#refusal").count() == 0
    assert axe(page) == []
    snap(page, f"commission-delete-{language}")
    submit(page)
    page.wait_for_url("**/tracking/review-cycle/reference/")
    assert list(RegionalCommission.objects.values_list("code", flat=True)) == ["ECX"]
    assert page.locator(f"a[href$='/commissions/{ece.pk}/edit/']").count() == 0
    assert axe(page) == []
    snap(page, f"commission-deleted-{language}")


@pytest.mark.parametrize("language", ["en"])
def test_commitment_moved_to_another_imrf(page, axe, live_server, secretariat, language):
    """On the edit page the forum is a choice; moving the commitment shows on its page."""
    from compacts.tracking.services.cycle import commitment_create

    later = ImrfEdition.objects.create(year=2026, title="IMRF 2026")
    commitment = commitment_create(
        edition=ImrfEdition.objects.get(year=2022), paragraph="70", title="Indicators",
        text="A limited set of indicators.", actor=secretariat,
    )  # fmt: skip
    url = f"/tracking/review-cycle/commitments/{commitment.pk}/edit/"
    sign_in(page, live_server, secretariat, language, url)
    assert page.locator("#id_edition").is_enabled()
    assert axe(page) == []
    page.locator("#id_edition").select_option(str(later.pk))
    submit(page)
    page.wait_for_url(f"**/tracking/review-cycle/commitments/{commitment.pk}/")
    assert page.locator("dd", has_text="IMRF 2026").count() == 1
    commitment.refresh_from_db()
    assert commitment.edition == later
