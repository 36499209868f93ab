"""The admin edits and confirms the MPTF's provisional data through the audited services."""

import pytest
from django.test import Client

from compacts.core.models import AuditRecord
from compacts.framework.models import Country, Marker, ReferenceStatus, ThematicArea

pytestmark = pytest.mark.usefixtures("reference_data", "db")


@pytest.fixture
def admin_client(superuser):
    client = Client()
    client.force_login(superuser)
    return client


def test_editing_a_thematic_area_in_the_admin_goes_through_the_service(admin_client, superuser):
    area = ThematicArea.objects.get(code="TA3")
    response = admin_client.post(
        f"/admin/framework/thematicarea/{area.pk}/change/", {"name": "Irregular migration"}
    )
    assert response.status_code == 302
    area.refresh_from_db()
    assert area.name == "Irregular migration"
    record = AuditRecord.objects.get(action="framework.thematic_area.update")
    assert record.actor == superuser
    assert record.after["name"] == "Irregular migration"


def test_confirm_action_in_the_admin(admin_client):
    markers = Marker.objects.filter(code__in=["gender", "human-rights"])
    response = admin_client.post(
        "/admin/framework/marker/",
        {"action": "confirm", "_selected_action": [m.pk for m in markers]},
    )
    assert response.status_code == 302
    assert set(
        Marker.objects.filter(status=ReferenceStatus.CONFIRMED).values_list("code", flat=True)
    ) == {
        "gender",
        "human-rights",
    }
    assert AuditRecord.objects.filter(action="framework.marker.confirm").count() == 2


def test_loaded_reference_data_is_read_only_in_the_admin(admin_client):
    country = Country.objects.get(iso2="FR")
    response = admin_client.post(f"/admin/framework/country/{country.pk}/change/", {"name": "X"})
    assert response.status_code == 403
    assert admin_client.get("/admin/framework/country/").status_code == 200
    country.refresh_from_db()
    assert country.name == "France"
