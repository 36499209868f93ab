"""Reference data (roles, UN entities) and demonstration data: complete and idempotent."""

import io

import pytest
from django.contrib.auth import get_user_model

from compacts.actors import roles
from compacts.actors.demo import DEMO_ACCOUNTS, seed_demo
from compacts.actors.models import Membership, Organisation, Role
from compacts.actors.reference import EXECUTIVE_COMMITTEE, load_reference
from compacts.actors.selectors import user_has_role
from compacts.actors.tests.factories import CountryFactory
from compacts.core.models import AuditRecord
from compacts.core.selectors import audit_chain_verify

pytestmark = pytest.mark.django_db


def _load():
    out = io.StringIO()
    load_reference(stdout=out)
    return out.getvalue()


class ReferenceTests:
    def test_roles_and_un_entities(self):
        _load()
        assert sorted(Role.objects.values_list("code", flat=True)) == sorted(roles.ROLE_CODES)
        assert len(roles.ROLE_CODES) == 11
        entities = dict(
            Organisation.objects.filter(category="un-entity").values_list(
                "short_name", "iati_identifier"
            )
        )
        assert set(EXECUTIVE_COMMITTEE) <= set(entities)
        assert entities["IOM"] == "XM-DAC-47066"
        assert entities["UNDP"] == "XM-DAC-41114"
        assert entities["ILO"] == ""  # several DAC channel codes: left blank (docs/permissions.md)
        assert not Organisation.objects.filter(is_illustrative=True).exists()

    def test_idempotent(self):
        _load()
        counts = (Role.objects.count(), Organisation.objects.count(), AuditRecord.objects.count())
        output = _load()
        assert (
            Role.objects.count(),
            Organisation.objects.count(),
            AuditRecord.objects.count(),
        ) == counts
        assert "0 new" in output
        assert audit_chain_verify().intact

    def test_edited_role_name_is_put_back_and_audited(self):
        _load()
        Role.objects.filter(code=roles.DONOR).update(name="Funder")
        _load()
        assert Role.objects.get(code=roles.DONOR).name == "Donor"
        assert AuditRecord.objects.filter(action="actors.role.update").count() == 1

    def test_an_entity_edited_by_an_administrator_is_left_alone(self):
        _load()
        Organisation.objects.filter(short_name="IOM").update(website="https://example.org/")
        _load()
        assert Organisation.objects.get(short_name="IOM").website == "https://example.org/"


class DemoTests:
    def test_one_account_per_role_in_the_right_organisation(self):
        CountryFactory(iso2="EC", name="Ecuador")
        _load()
        seed_demo(stdout=io.StringIO())
        users = get_user_model().objects
        assert {code for _u, code, _o in DEMO_ACCOUNTS} == set(roles.ROLE_CODES)
        for username, code, _organisation in DEMO_ACCOUNTS:
            assert user_has_role(users.get(username=f"demo-{username}"), code), username
        iom = Organisation.objects.get(short_name="IOM")
        assert user_has_role(
            users.get(username="demo-puno-iom"), roles.PUNO_FOCAL_POINT, organisation=iom
        )
        undp = Organisation.objects.get(short_name="UNDP")
        assert user_has_role(
            users.get(username="demo-aa"), roles.ADMINISTRATIVE_AGENT, organisation=undp
        )
        illustrative = Organisation.objects.filter(is_illustrative=True)
        assert set(illustrative.values_list("category", flat=True)) >= {
            "donor",
            "member-state",
            "civil-society",
        }
        assert all("illustrative" in o.name for o in illustrative)
        assert illustrative.get(category="member-state").country.iso2 == "EC"

    def test_idempotent(self):
        _load()
        seed_demo(stdout=io.StringIO())
        counts = (
            Organisation.objects.count(),
            Membership.objects.count(),
            AuditRecord.objects.count(),
        )
        seed_demo(stdout=io.StringIO())
        assert (
            Organisation.objects.count(),
            Membership.objects.count(),
            AuditRecord.objects.count(),
        ) == counts

    def test_without_reference_data_it_says_what_is_missing(self):
        out = io.StringIO()
        seed_demo(stdout=out)
        assert "load the reference data first" in out.getvalue()
        assert not Membership.objects.exists()
