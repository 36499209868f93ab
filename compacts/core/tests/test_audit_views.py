import pytest
from django.test import Client

from compacts.core.models import User
from compacts.core.services import audit_record


@pytest.fixture
def records(db):
    alice = User.objects.create_user(username="alice", password="x")
    bob = User.objects.create_user(username="bob", password="x")
    audit_record(actor=alice, action="fund.deposit.record", obj=alice, after={"amount": "5.00"})
    audit_record(actor=alice, action="framework.area.confirm", obj=bob)
    return alice, bob


def client_for(user=None) -> Client:
    client = Client()
    if user:
        client.force_login(user)
    return client


class AuditTrailViewTests:
    def test_anonymous_people_are_sent_to_sign_in(self, records):
        response = client_for().get("/audit/")
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")

    def test_people_without_staff_status_are_refused(self, records):
        alice, _bob = records
        assert client_for(alice).get("/audit/").status_code == 403

    def test_staff_see_every_record_and_can_filter_by_action(self, records):
        staff = User.objects.create_user(username="staff", password="x", is_staff=True)
        page = client_for(staff).get("/audit/").content.decode()
        assert "fund.deposit.record" in page
        assert "framework.area.confirm" in page
        filtered = client_for(staff).get("/audit/?action=fund.").content.decode()
        assert "fund.deposit.record" in filtered
        assert "framework.area.confirm" not in filtered

    def test_the_trail_of_one_object(self, records):
        _alice, bob = records
        staff = User.objects.create_user(username="staff", password="x", is_staff=True)
        page = client_for(staff).get(f"/audit/core.user/{bob.pk}/").content.decode()
        assert "framework.area.confirm" in page
        assert "fund.deposit.record" not in page

    def test_an_unknown_object_type_is_a_404(self, records):
        staff = User.objects.create_user(username="staff", password="x", is_staff=True)
        assert client_for(staff).get("/audit/nope.nothing/1/").status_code == 404
