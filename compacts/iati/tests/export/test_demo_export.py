"""The demonstration data, exported: valid 2.03, no ruleset error, published at the public URLs,
and a round trip through the import gives the same activities.

Building the demonstration data takes a while, so each test here checks several things."""

import io
from datetime import date
from decimal import Decimal

from django.core.management import call_command
from lxml import etree

from compacts.iati.importer import import_file
from compacts.iati.models import ExternalActivity, IatiExportRun
from compacts.iati.services import iati_export, iati_publication_refresh
from compacts.iati.validation import validate
from compacts.iati.validation.schema import schema_errors
from compacts.iati.xml import parse


def _activities(tree) -> dict[str, etree._Element]:
    return {a.findtext("iati-identifier"): a for a in tree.getroot().iterchildren("iati-activity")}


def test_demo_export_is_valid_published_and_round_trips(
    demo_data, tmp_path, publication_dir, client, django_capture_on_commit_callbacks
):
    """Export, validate the whole files again independently, serve them, import them back."""
    run = iati_export(reason="test", directory=tmp_path / "out")
    assert run.status == "succeeded", run.findings
    assert run.error_count == 0
    assert run.activity_count >= 2

    activities = parse(tmp_path / "out" / "activities.xml")
    report = validate(activities, kind="activity", purpose="export")
    assert report.schema_valid
    assert report.errors == [], [str(f.message) for f in report.errors]
    organisation = validate(tmp_path / "out" / "organisation.xml", kind="organisation",
                            purpose="export")  # fmt: skip
    assert organisation.errors == []
    registry = parse(tmp_path / "out" / "registry-record.xml")
    assert schema_errors(registry, kind="registry") == []

    by_id = _activities(activities)
    fund_id = "XI-IATI-UNPF-MIG00"
    fund = by_id[fund_id]
    programmes = [a for k, a in by_id.items() if k != fund_id]
    assert programmes
    # The fund: donors funding, the fund accountable, the agent extending, agencies implementing.
    roles = {o.get("role") for o in fund.iterchildren("participating-org")}
    assert roles == {"1", "2", "3", "4"}
    kinds = {t.find("transaction-type").get("code") for t in fund.iterchildren("transaction")}
    assert {"11", "1"} <= kinds
    assert fund.find("sector").get("code") == "15190"
    # Related activities both ways.
    children = {r.get("ref") for r in fund.iterchildren("related-activity") if r.get("type") == "2"}
    assert children == {a.findtext("iati-identifier") for a in programmes}
    for programme in programmes:
        assert programme.find("related-activity[@type='1']").get("ref") == fund_id
    # Disbursements to the agencies and their expenditure; programmes carry theirs.
    all_kinds = {t.find("transaction-type").get("code")
                 for a in by_id.values() for t in a.iterchildren("transaction")}  # fmt: skip
    assert {"11", "1", "3", "4"} <= all_kinds
    assert any(p.find("transaction") is not None for p in programmes)
    for transaction in fund.iterchildren("transaction"):
        assert transaction.find("provider-org") is not None
    tags = {(t.get("vocabulary"), t.get("code")) for p in programmes for t in p.iterchildren("tag")}
    assert any(v == "3" for v, _c in tags)
    assert any(v == "99" for v, _c in tags)
    assert any(p.find("policy-marker") is not None for p in programmes)
    assert any(p.find("budget") is not None for p in programmes)
    assert any(p.find("result/indicator/period/target") is not None for p in programmes)
    # Multilingual: the generated description is there in the six languages.
    langs = {n.get("{http://www.w3.org/XML/1998/namespace}lang")
             for n in fund.find("description").iterchildren("narrative")}  # fmt: skip
    assert langs == {None, "fr", "es", "ar", "zh", "ru"}
    # Every element in schema order is guaranteed by the XSD check above; percentages add up.
    for programme in programmes:
        shares = [Decimal(c.get("percentage", "100"))
                  for c in programme.iterchildren("recipient-country")]  # fmt: skip
        if shares:
            assert sum(shares) == 100

    # Publishing: the refresh service enqueues the task on commit; the URLs serve the files.
    assert client.get("/iati/activities.xml").status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        iati_publication_refresh(reason="test: data changed")
    published = IatiExportRun.objects.get(is_published=True)
    assert published.status == "succeeded"
    response = client.get("/iati/activities.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    served = etree.fromstring(b"".join(response.streaming_content))
    assert {a.findtext("iati-identifier") for a in served.iterchildren("iati-activity")} == set(
        by_id
    )
    assert client.get("/iati/organisation.xml").status_code == 200
    assert client.get("/iati/registry-record.xml").status_code == 200

    # Round trip: import the export into the (empty) external tables, then compare.
    assert ExternalActivity.objects.count() == 0
    imported = import_file(path=tmp_path / "out" / "activities.xml")
    assert imported.status == "succeeded", imported.report
    assert imported.imported == len(by_id)
    assert imported.rejected == 0
    for identifier, element in by_id.items():
        stored = ExternalActivity.objects.get(iati_identifier=identifier)
        assert stored.title == element.find("title/narrative").text
        assert stored.reporting_org_ref == "XI-IATI-UNPF"
        assert stored.participating_orgs.count() == len(element.findall("participating-org"))
        exported = sorted(
            (t.find("transaction-type").get("code"), Decimal(t.findtext("value")),
             date.fromisoformat(t.find("transaction-date").get("iso-date")))
            for t in element.iterchildren("transaction"))  # fmt: skip
        stored_tx = sorted(stored.transactions.values_list("type", "value", "date"))
        assert stored_tx == exported
        assert sorted(stored.sectors.values_list("code", flat=True)) == sorted(
            s.get("code") for s in element.iterchildren("sector")
        )
        assert sorted(stored.tags.values_list("code", flat=True)) == sorted(
            t.get("code") for t in element.iterchildren("tag")
        )
    # ... and exporting again gives the same activities (identifiers and content).
    again = iati_export(reason="test again", directory=tmp_path / "again")
    second = _activities(parse(tmp_path / "again" / "activities.xml"))
    assert set(second) == set(by_id)
    for identifier, element in by_id.items():
        assert etree.tostring(second[identifier]) == etree.tostring(element)
    assert again.status == "succeeded"
    # Importing the same file again changes nothing.
    rerun = import_file(path=tmp_path / "out" / "activities.xml")
    assert rerun.skipped == len(by_id)
    assert rerun.imported == rerun.updated == 0


def test_export_command_writes_valid_files(demo_data, tmp_path):
    out = io.StringIO()
    call_command("iati", "export", "--output", str(tmp_path / "cmd"), stdout=out)
    assert "succeeded" in out.getvalue()
    assert (tmp_path / "cmd" / "activities.xml").exists()
    assert (tmp_path / "cmd" / "organisation.xml").exists()
    report = validate(tmp_path / "cmd" / "activities.xml", kind="activity", purpose="export")
    assert report.is_valid, [str(f.message) for f in report.errors]
