"""Export runs: a run that cannot produce valid files fails and publishes nothing; the
previous publication stays."""

import pytest

from compacts.iati.models import IatiExportRun
from compacts.iati.services import iati_export, publisher_settings_get

pytestmark = pytest.mark.django_db


def test_without_a_fund_the_run_fails_and_nothing_is_served(publication_dir, client):
    run = iati_export(reason="test")
    assert run.status == "failed"
    assert "no fund" in run.message
    assert not IatiExportRun.objects.filter(is_published=True).exists()
    assert client.get("/iati/activities.xml").status_code == 404


def test_an_invalid_export_keeps_the_previous_publication(publication_dir, client):
    from compacts.fund.tests import factories

    factories.funded("1000.00")
    good = iati_export(reason="first")
    assert good.status == "succeeded", good.findings
    assert good.is_published
    served = b"".join(client.get("/iati/activities.xml").streaming_content)

    settings = publisher_settings_get()
    settings.reporting_org_ref = ""
    settings.save()
    bad = iati_export(reason="broken settings")
    assert bad.status == "failed"
    assert bad.error_count >= 1
    assert any(f["rule_id"] == "compacts:reporting-org" for f in bad.findings)
    assert not bad.is_published
    good.refresh_from_db()
    assert good.is_published
    assert b"".join(client.get("/iati/activities.xml").streaming_content) == served
