"""Progress reports bring in the fund's public programmes and their money, and render whatever
other apps register in the report slots ("tracking-report-objective", "tracking-report-country"),
in the page and in the PDF."""

import copy
import datetime
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import transaction
from django.test import Client

from compacts.core.panels import register_panel, unregister_panel
from compacts.fund import services as fund_services
from compacts.fund.models import AccountCode, PostingKind
from compacts.programmes.models import Programme, Tranche
from compacts.programmes.tests import factories as pf
from compacts.tracking import selectors
from compacts.tracking.tests import factories as f
from compacts.tracking.tests import scenario

pytestmark = pytest.mark.django_db

D = Decimal
DAY = datetime.date(2026, 3, 2)
TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"


def _public(programme, state="active"):
    # The programme cycle is tested by the programmes app; here only the state matters.
    Programme.objects.filter(pk=programme.pk).update(state=state)
    programme.refresh_from_db()
    return programme


@pytest.fixture
def data():
    """Morocco and objective 15 (tracking's scenario), one active programme in Morocco serving
    objective 15 with an allocation of 400,000, a transfer of 250,000 and expenditure of 90,000;
    one endorsed programme without money; one draft programme (not public)."""
    base = scenario.build()
    w = pf.world()
    active = _public(pf.concept_note(w, title="Health access for migrants"))
    active.countries.add(base.morocco)
    active.other_objectives.add(f.objective(15))
    endorsed = _public(pf.concept_note(w, title="Pipeline programme"), state="endorsed")
    endorsed.other_objectives.add(f.objective(15))
    draft = pf.concept_note(w, title="Secret draft")
    draft.countries.add(base.morocco)
    draft.other_objectives.add(f.objective(15))
    org = w.punos[0]
    allocation = fund_services.allocation_create(
        fund=w.fund, organisation=org, amount=D("400000.00"), purpose="Tranche 1",
        decided_on=DAY, actor=None,
    )  # fmt: skip
    posting = fund_services.transfer_create(
        allocation=allocation, amount=D("250000.00"), value_date=DAY, actor=None,
        idempotency_key="t-1",
    )  # fmt: skip
    Tranche.objects.create(
        programme=active, allocation=allocation, number=1, amount=D("400000.00"),
        planned_on=DAY, posting=posting,
    )  # fmt: skip
    with transaction.atomic():  # the ledger writes inside its caller's transaction
        fund_services.posting_create(
            fund=w.fund, kind=PostingKind.EXPENDITURE, value_date=DAY, actor=None,
            lines=[
                fund_services.Line(AccountCode.PO_EXPENDITURE, D("90000.00"), org.pk),
                fund_services.Line(AccountCode.PO_BALANCE, D("-90000.00"), org.pk),
            ],
            organisation_id=org.pk, allocation=allocation,
        )  # fmt: skip
    base.active, base.endorsed, base.draft_programme = active, endorsed, draft
    return base


def _pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


class ReportProgrammesTests:
    def test_objective_report_lists_public_programmes_with_their_money(self, data):
        """Objective 15: the active and the endorsed programme, not the draft; the active one
        with its budget (the indicative 1,500,000), allocation, transfer and expenditure."""
        report = selectors.objective_report(objective=f.objective(15), user=None)
        rows = {row.programme.code: row for row in report["programmes"]}
        assert set(rows) == {data.active.code, data.endorsed.code}
        active = rows[data.active.code]
        assert (active.budget, active.allocated, active.transferred, active.expenditure) == (
            D("1500000.00"), D("400000.00"), D("250000.00"), D("90000.00"),
        )  # fmt: skip
        assert rows[data.endorsed.code].transferred == 0
        labels = {fig.label: fig for fig in report["figures"]}
        assert labels["Migration MPTF programmes"].value == 2
        assert labels["Budget of these programmes"].value == {"USD": D("3000000.00")}
        assert labels["Transferred to participating organisations"].value == {"USD": D("250000.00")}
        html = Client().get("/tracking/reports/objectives/15/").content.decode()
        row = html.split(f'data-programme="{data.active.code}"')[1].split("</tr>")[0]
        for amount in ["1,500,000", "400,000", "250,000", "90,000"]:
            assert f"USD {amount}" in row
        assert f"/programmes/{data.active.pk}/" in html
        assert "Secret draft" not in html

    def test_country_report_lists_the_programmes_in_the_country(self, data):
        """Morocco: only the active programme (the endorsed one is elsewhere, the draft hidden)."""
        report = selectors.country_report(country=data.morocco, user=None)
        assert [row.programme.code for row in report["programmes"]] == [data.active.code]
        html = Client().get("/tracking/reports/countries/504/").content.decode()
        assert "Health access for migrants" in html
        assert "Pipeline programme" not in html

    def test_pdf_reports_contain_the_programmes_and_amounts(self, data):
        for url in ["/tracking/reports/objectives/15/pdf/", "/tracking/reports/countries/504/pdf/"]:
            response = Client().get(url)
            assert response["Content-Type"] == "application/pdf"
            text = _pdf_text(response.content)
            assert data.active.code in text
            assert "250,000" in text
            assert "90,000" in text

    def test_no_programme_says_so(self, data):
        html = Client().get("/tracking/reports/countries/566/").content.decode()
        assert "No public programme of the fund yet." in html


class ReportSlotTests:
    TEMPLATE = "tracking_tests/probe_panel.html"

    @pytest.fixture(autouse=True)
    def probe(self, settings):
        templates = copy.deepcopy(settings.TEMPLATES)
        templates[0]["DIRS"] = [TEMPLATES_DIR]
        settings.TEMPLATES = templates
        calls = []

        def context(*, request, obj):
            calls.append(obj)
            return {"note": "Practice from the knowledge hub about"}

        for slot in ["tracking-report-objective", "tracking-report-country"]:
            register_panel(slot, self.TEMPLATE, context, order=1)
        yield calls
        for slot in ["tracking-report-objective", "tracking-report-country"]:
            unregister_panel(slot, self.TEMPLATE)

    def test_panels_registered_in_the_slots_appear_in_page_and_pdf(self, data, probe):
        """A panel in "tracking-report-objective" gets the objective, one in
        "tracking-report-country" the country; both show in the HTML and the PDF."""
        html = Client().get("/tracking/reports/objectives/15/").content.decode()
        assert 'data-probe="tracking-report-objective"' in html
        assert 'data-probe="tracking-report-country"' not in html
        assert probe[-1] == f.objective(15)
        html = Client().get("/tracking/reports/countries/504/").content.decode()
        assert 'data-probe="tracking-report-country"' in html
        assert probe[-1] == data.morocco
        for url in ["/tracking/reports/objectives/15/pdf/", "/tracking/reports/countries/504/pdf/"]:
            assert "Practice from the knowledge hub about" in _pdf_text(Client().get(url).content)

    def test_a_panel_returning_none_is_left_out(self, data):
        register_panel("tracking-report-country", "tracking/panels/country.html", lambda **kw: None)
        try:
            html = Client().get("/tracking/reports/countries/504/").content.decode()
        finally:
            unregister_panel("tracking-report-country", "tracking/panels/country.html")
        assert html.count('class="panel"') == 1  # the probe only
