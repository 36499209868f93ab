"""The Django admin saves organisations through the services: validated, audited."""

import pytest
from django.test import Client

from compacts.actors.models import Organisation
from compacts.actors.testing import superuser
from compacts.core.models import AuditRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    client = Client()
    client.force_login(superuser())
    return client


def _form(**overrides):
    return {
        "name": "World Health Organization",
        "short_name": "WHO",
        "names": "{}",
        "category": "un-entity",
        "iati_type": "40",
        "iati_identifier": "",
        "country": "",
        "website": "https://www.who.int/",
        **overrides,
    }


def test_adding_goes_through_the_service(client):
    response = client.post("/admin/actors/organisation/add/", _form())
    assert response.status_code == 302, response.content.decode()[:2000]
    organisation = Organisation.objects.get(short_name="WHO")
    assert AuditRecord.objects.get(action="actors.organisation.create").object_id == str(
        organisation.pk
    )


def test_invalid_codes_show_on_the_form_and_nothing_is_saved(client):
    response = client.post(
        "/admin/actors/organisation/add/", _form(iati_type="77", iati_identifier="QQ-ZZZ-1")
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "iati_type" in errors
    assert "iati_identifier" in errors
    assert not Organisation.objects.exists()


def test_changing_is_audited_with_before_and_after(client):
    client.post("/admin/actors/organisation/add/", _form())
    organisation = Organisation.objects.get()
    response = client.post(
        f"/admin/actors/organisation/{organisation.pk}/change/", _form(short_name="OMS")
    )
    assert response.status_code == 302
    record = AuditRecord.objects.get(action="actors.organisation.update")
    assert record.before == {"short_name": "WHO"}
    assert record.after == {"short_name": "OMS"}
