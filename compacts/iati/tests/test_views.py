"""The import pages: staff only; the upload runs the import (tasks run at once in tests) and the
report shows each activity; the public XML URLs answer 404 until a valid export exists."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from compacts.actors import roles
from compacts.actors.testing import user_with_role, user_without_role
from compacts.iati.models import ExternalActivity, ImportRun
from compacts.iati.xml import data_path

IOM = data_path("sample-activities", "iom-XM-DAC-47066-DP.2154.wrapped-2.03.xml")

pytestmark = pytest.mark.django_db


def test_public_urls_before_any_export(client):
    for url in ("/iati/activities.xml", "/iati/organisation.xml", "/iati/registry-record.xml"):
        assert client.get(url).status_code == 404


@pytest.mark.parametrize("who", ["anonymous", "no-role", "donor"])
def test_import_page_is_refused_to_non_staff(client, who):
    if who == "no-role":
        client.force_login(user_without_role())
    elif who == "donor":
        client.force_login(user_with_role(roles.DONOR))
    response = client.get("/iati/import/")
    assert response.status_code in (302, 403)
    upload = SimpleUploadedFile("iom.xml", IOM.read_bytes(), content_type="application/xml")
    response = client.post("/iati/import/", {"file": upload})
    assert response.status_code in (302, 403)
    assert ImportRun.objects.count() == 0


def test_staff_upload_imports_and_reports(
    client, publication_dir, django_capture_on_commit_callbacks
):
    client.force_login(user_with_role(roles.MANAGEMENT_UNIT_OFFICER))
    assert client.get("/iati/import/").status_code == 200
    upload = SimpleUploadedFile("iom.xml", IOM.read_bytes(), content_type="application/xml")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/iati/import/", {"file": upload})
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/iati/import/{run.pk}/"
    run.refresh_from_db()
    assert (run.status, run.imported) == ("succeeded", 1)
    assert ExternalActivity.objects.filter(iati_identifier="XM-DAC-47066-DP.2154").exists()
    page = client.get(response["Location"]).content.decode()
    assert "XM-DAC-47066-DP.2154" in page
    assert "imported" in page
    fragment = client.get(f"/iati/import/{run.pk}/progress/").content.decode()
    assert 'value="100"' in fragment
    assert "hx-get" not in fragment


def test_empty_upload_is_refused_with_a_message(client):
    client.force_login(user_with_role(roles.NETWORK_SECRETARIAT))
    upload = SimpleUploadedFile("empty.xml", b"", content_type="application/xml")
    response = client.post("/iati/import/", {"file": upload})
    assert response.status_code == 200
    assert ImportRun.objects.count() == 0
    assert "empty" in response.content.decode()


def test_a_running_import_is_polled(client):
    client.force_login(user_with_role(roles.MANAGEMENT_UNIT_OFFICER))
    run = ImportRun.objects.create(file_name="big.xml", size=1000, bytes_read=250, status="running")
    fragment = client.get(f"/iati/import/{run.pk}/progress/").content.decode()
    assert 'value="25"' in fragment
    assert "hx-get" in fragment
    assert client.get("/iati/import/999999/").status_code == 404


def test_api_landscape_is_public_and_import_runs_are_staff_only(client):
    from compacts.iati.importer import import_file

    run = import_file(path=IOM)
    response = client.get("/api/v1/iati/activities")
    assert response.status_code == 200
    assert response.json()["items"][0]["iati_identifier"] == "XM-DAC-47066-DP.2154"
    landscape = client.get("/api/v1/iati/landscape").json()
    assert landscape["activities"] == []  # IOM's sample is sector 72010: not migration
    assert client.get(f"/api/v1/iati/imports/{run.pk}").status_code == 401
    client.force_login(user_with_role(roles.DONOR))
    assert client.get(f"/api/v1/iati/imports/{run.pk}").status_code == 403
    client.force_login(user_with_role(roles.MANAGEMENT_UNIT_OFFICER))
    body = client.get(f"/api/v1/iati/imports/{run.pk}").json()
    assert (body["status"], body["imported"], body["progress"]) == ("succeeded", 1, 100)
