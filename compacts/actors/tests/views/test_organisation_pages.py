"""The organisation list and detail pages."""

import pytest
from django.test import Client

from compacts.actors import roles
from compacts.actors.testing import superuser, user_with_role, user_without_role
from compacts.actors.tests.factories import CountryFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


class OrganisationListPageTests:
    def test_lists_and_filters(self):
        ecuador = CountryFactory(iso2="EC", name="Ecuador", names={"fr": "Équateur"})
        OrganisationFactory(name="Alpha Rights", category="civil-society", country=ecuador)
        OrganisationFactory(name="Beta Fund", category="donor", is_illustrative=True)
        client = Client()
        page = client.get("/organisations/").content.decode()
        assert "Alpha Rights" in page
        assert "Beta Fund" in page
        assert "illustrative" in page
        filtered = client.get("/organisations/?category=donor").content.decode()
        assert "Beta Fund" in filtered
        assert "Alpha Rights" not in filtered
        by_country = client.get("/organisations/?country=EC").content.decode()
        assert "Alpha Rights" in by_country
        assert "Beta Fund" not in by_country
        searched = client.get("/organisations/?q=alpha").content.decode()
        assert "Alpha Rights" in searched
        assert "Beta Fund" not in searched
        french = client.get("/organisations/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
        assert "Équateur" in french

    @pytest.mark.parametrize(
        "query",
        ["category=nope", "country=%00", "page=-4", "page=99999999999999999999", "q=" + "x" * 500],
    )
    def test_bad_parameters_never_fail(self, query):
        OrganisationFactory(name="Alpha")
        response = Client().get(f"/organisations/?{query}")
        assert response.status_code == 200

    def test_pages(self):
        for number in range(55):
            OrganisationFactory(name=f"Organisation {number:02d}")
        client = Client()
        first = client.get("/organisations/")
        assert len(first.context["rows"]) == 50
        second = client.get("/organisations/?page=2")
        assert len(second.context["rows"]) == 5
        assert "Page 2 of 2" in second.content.decode()


class OrganisationDetailPageTests:
    def test_shows_the_facts_and_hides_members_from_the_public(self):
        organisation = OrganisationFactory(
            name="International Organization for Migration",
            iati_type="40",
            iati_identifier="XM-DAC-47066",
        )
        user_with_role(roles.PUNO_FOCAL_POINT, organisation, username="focal")
        page = Client().get(f"/organisations/{organisation.pk}/").content.decode()
        assert "XM-DAC-47066" in page
        assert "40 · Multilateral" in page
        assert "focal" not in page
        assert "Members and their roles" not in page

    @pytest.mark.parametrize("viewer", ["superuser", "mu", "member"])
    def test_members_visible_to_coordinators_and_the_organisations_own_members(self, viewer):
        organisation = OrganisationFactory()
        user_with_role(roles.PUNO_FOCAL_POINT, organisation, username="focal")
        client = Client()
        client.force_login(
            {
                "superuser": superuser,
                "mu": lambda: user_with_role(roles.MANAGEMENT_UNIT_OFFICER),
                "member": lambda: user_with_role(roles.DONOR, organisation),
            }[viewer]()
        )
        page = client.get(f"/organisations/{organisation.pk}/").content.decode()
        assert "Members and their roles" in page
        assert "focal" in page
        assert "Participating UN organisation focal point" in page

    def test_a_member_of_another_organisation_does_not_see_them(self):
        organisation = OrganisationFactory()
        user_with_role(roles.PUNO_FOCAL_POINT, organisation, username="amina-member")
        client = Client()
        client.force_login(user_with_role(roles.PUNO_FOCAL_POINT))
        page = client.get(f"/organisations/{organisation.pk}/").content.decode()
        assert "amina-member" not in page
        assert "Members and their roles" not in page
        client.force_login(user_without_role())
        assert (
            "amina-member" not in client.get(f"/organisations/{organisation.pk}/").content.decode()
        )

    def test_illustrative_label_and_unknown_id(self):
        organisation = OrganisationFactory(is_illustrative=True)
        page = Client().get(f"/organisations/{organisation.pk}/").content.decode()
        assert "demonstration data" in page
        assert Client().get("/organisations/999999/").status_code == 404

    def test_navigation_entry(self):
        assert 'href="/organisations/"' in Client().get("/").content.decode()
