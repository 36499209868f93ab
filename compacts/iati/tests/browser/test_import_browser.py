"""In a real browser: a Management Unit officer uploads an IATI file, sees the progress bar and
the report (imported and rejected activities); the pages pass axe-core in English and Arabic."""

import pytest

from compacts.actors import roles
from compacts.actors.testing import user_with_role
from compacts.iati.models import ExternalActivity
from compacts.iati.xml import data_path

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "iati-browser-test-2026"  # noqa: S105
IOM = data_path("sample-activities", "iom-XM-DAC-47066-DP.2154.wrapped-2.03.xml")


@pytest.fixture
def officer(publication_dir):
    user = user_with_role(roles.MANAGEMENT_UNIT_OFFICER, username="iati-browser")
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    return user


@pytest.mark.parametrize("language", ["en", "ar"])
def test_upload_shows_progress_and_report(page, axe, live_server, officer, tmp_path, language):
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page.goto("/accounts/login/?next=/iati/import/")
    page.locator("input[name=username]").fill("iati-browser")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[name=password]").press("Enter")
    page.wait_for_url("**/iati/import/")
    assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
    assert axe(page) == []

    # One real activity and one with an unknown status code in the same file.
    text = IOM.read_text()
    bad = text[text.index("<iati-activity ") : text.index("</iati-activity>") + 16]
    bad = bad.replace("XM-DAC-47066-DP.2154", "XM-DAC-47066-BAD").replace(
        '<activity-status code="2"/>', '<activity-status code="42"/>'
    )
    mixed = text.replace("</iati-activities>", bad + "</iati-activities>")
    upload = tmp_path / "mixed.xml"
    upload.write_text(mixed)
    page.locator("input[type=file]").set_input_files(str(upload))
    page.locator("#import-form button[type=submit]").click()
    page.wait_for_url("**/iati/import/*/")
    bar = page.locator("progress#import-bar")
    assert bar.get_attribute("value") == "100"
    report = page.locator("#import-progress table tbody tr")
    assert report.count() == 2
    assert "XM-DAC-47066-DP.2154" in report.nth(0).inner_text()
    assert "XM-DAC-47066-BAD" in report.nth(1).inner_text()
    assert "codelist:ActivityStatus" in report.nth(1).inner_text()
    assert ExternalActivity.objects.filter(iati_identifier="XM-DAC-47066-DP.2154").exists()
    assert not ExternalActivity.objects.filter(iati_identifier="XM-DAC-47066-BAD").exists()
    assert axe(page) == []
