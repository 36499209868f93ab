"""Bulk upload of pledges from CSV or XLSX: all or nothing, with a row-by-row report."""

import csv
import io

import pytest
from openpyxl import Workbook

from compacts.core.exceptions import PermissionDeniedError
from compacts.tracking.models import ImportRun, Pledge
from compacts.tracking.services.pledges import BULK_COLUMNS, pledges_bulk_upload
from compacts.tracking.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    morocco = f.country()
    f.organisation("Kingdom of Morocco", country_obj=morocco)
    f.organisation("Migrant Voices", "migrant-diaspora")
    for number in (15, 16, 23):
        f.objective(number)
    f.principle("a")
    f.action("15e")
    return f.secretariat_user()


def row(**values) -> dict:
    base = {
        "Pledger": "Kingdom of Morocco",
        "Title": "Health coverage",
        "Type": "policy-oriented",
        "Kind": "",
        "Partners": "",
        "Objectives": "15",
        "Principles": "a",
        "Actions": "15e",
        "Matching pledge": "",
        "Description": f.DESCRIPTION,
        "Amount": "",
        "Currency": "",
        "Country": "504",
        "Contact name": "",
        "Contact email": "",
    }
    base.update(values)
    return base


def as_csv(rows) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=BULK_COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


class BulkUploadTests:
    def test_good_rows_are_all_stored(self, setting):
        """Three good rows: three submitted pledges, one report line each; the third matches
        the first through 'row 2'."""
        rows = [
            row(),
            row(
                Title="Common pledge", Kind="common", Partners="Migrant Voices", Objectives="16;23"
            ),
            row(
                Title="Funding",
                Type="financial",
                Amount="1000000",
                Currency="USD",
                **{"Matching pledge": "row 2"},
            ),
        ]
        report = pledges_bulk_upload(content=as_csv(rows), filename="pledges.csv", actor=setting)
        assert report.accepted
        assert [(r.row, r.accepted) for r in report.rows] == [(2, True), (3, True), (4, True)]
        pledges = list(Pledge.objects.order_by("pk"))
        assert [p.state for p in pledges] == ["submitted"] * 3
        assert pledges[2].matching_pledge == pledges[0]
        assert sorted(pledges[1].objectives.values_list("number", flat=True)) == [16, 23]
        assert report.rows[0].reference == pledges[0].reference

    def test_publish_option(self, setting):
        report = pledges_bulk_upload(
            content=as_csv([row()]), filename="p.csv", actor=setting, publish=True
        )
        assert report.accepted
        assert Pledge.objects.get().state == "published"

    def test_one_bad_row_stores_nothing(self, setting):
        """Good rows and bad rows: nothing is stored, and each bad row is named with its
        column and reason."""
        rows = [
            row(),
            row(Description="Too short."),
            row(**{"Matching pledge": "GCM-P-99999"}),
            row(Country="MA"),
            row(Objectives="24"),
            row(),
        ]
        report = pledges_bulk_upload(content=as_csv(rows), filename="pledges.csv", actor=setting)
        assert not report.accepted
        refused = {r.row: (r.column, r.message) for r in report.rows if not r.accepted}
        assert set(refused) == {3, 4, 5, 6}
        assert refused[3][0] == "Description"
        assert "has 10 characters" in refused[3][1]
        assert refused[4] == ("Matching pledge", "The matching pledge GCM-P-99999 does not exist.")
        assert refused[5] == ("Country", "MA is not a UN M49 country code.")
        assert refused[6][0] == "Objectives"
        assert [r.accepted for r in report.rows if r.row in (2, 7)] == [True, True]
        assert all(r.reference == "" for r in report.rows)
        assert not Pledge.objects.exists()
        run = ImportRun.objects.get()
        assert run.accepted is False
        assert len(run.report) == 6

    def test_existing_pledges_are_untouched_by_a_refused_upload(self, setting):
        org = f.organisation("NGO", "civil-society")
        focal = f.user(roles=[("stakeholder-contributor", org)])
        before = f.pledge(org, focal)
        report = pledges_bulk_upload(
            content=as_csv([row(Description="short")]), filename="p.csv", actor=setting
        )
        assert not report.accepted
        assert list(Pledge.objects.values_list("pk", "state", "title")) == [
            (before.pk, "draft", before.title)
        ]

    def test_missing_required_column(self, setting):
        content = b"Pledger,Title,Type\nKingdom of Morocco,x,financial\n"
        report = pledges_bulk_upload(content=content, filename="p.csv", actor=setting)
        assert not report.accepted
        assert (report.rows[0].row, report.rows[0].column) == (1, "Description")

    def test_xlsx_with_formula_is_refused(self, setting):
        book = Workbook()
        sheet = book.active
        sheet.append(BULK_COLUMNS)
        sheet.append(list(row().values()))
        sheet["K2"] = "=1+1"
        out = io.BytesIO()
        book.save(out)
        report = pledges_bulk_upload(content=out.getvalue(), filename="p.xlsx", actor=setting)
        assert not report.accepted
        assert (report.rows[0].row, report.rows[0].column) == (2, "Amount")
        assert not Pledge.objects.exists()

    def test_xlsx_good_file(self, setting):
        book = Workbook()
        sheet = book.active
        sheet.append(BULK_COLUMNS)
        sheet.append(list(row().values()))
        out = io.BytesIO()
        book.save(out)
        report = pledges_bulk_upload(content=out.getvalue(), filename="p.xlsx", actor=setting)
        assert report.accepted
        assert Pledge.objects.count() == 1

    def test_only_the_secretariat_uploads(self, setting):
        org = f.organisation("NGO", "civil-society")
        focal = f.user(roles=[("stakeholder-contributor", org)])
        with pytest.raises(PermissionDeniedError):
            pledges_bulk_upload(content=as_csv([row()]), filename="p.csv", actor=focal)
