"""The Secretariat changes and removes a network's focal point and a record of what it did, in a
real browser (English and Arabic), with axe-core checks on the manage, edit and confirmation
pages."""

import datetime

import pytest

from compacts.actors import roles
from compacts.actors.testing import organisation_for_tests, user_with_role
from compacts.network import services
from compacts.network.models import Achievement, CountryNetwork, FocalPoint
from compacts.network.tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-test-password-1"


@pytest.fixture
def network():
    secretariat = user_with_role(roles.NETWORK_SECRETARIAT, username="sec", password=PASSWORD)
    zambia = factories.CountryFactory(iso2="ZM", m49="894", name="Zambia", names={"ar": "زامبيا"})
    network = CountryNetwork.objects.create(kind="country", name="Zambia network", country=zambia)
    iom = organisation_for_tests(name="International Organization for Migration")
    services.focal_point_add(actor=secretariat, network=network, organisation=iom, name="Ana")
    services.achievement_record(
        actor=secretariat,
        network=network,
        kind="training",
        title="Officials trained",
        happened_on=datetime.date(2022, 5, 1),
        people_trained=30,
    )
    return network


@pytest.mark.parametrize("language", ["en", "ar"])
def test_focal_points_and_achievements_are_changed_and_removed(
    sign_in, page, axe, live_server, network, language, snap
):
    sign_in("sec", PASSWORD, next_url="/network/", language=language)
    manage = f"/network/networks/{network.pk}/manage/"
    page.goto(manage)
    snap(page, f"network-manage-rows-{language}")
    assert axe(page) == []
    focal_point = FocalPoint.objects.get()
    achievement = Achievement.objects.get()
    # Edit the focal point: a mistake first, then the change.
    page.locator(f"a[href$='/focal-points/{focal_point.pk}/edit/']").click()
    page.wait_for_load_state()
    page.locator("#id_name").fill("Ana Phiri")
    page.locator("#id_email").fill("not an address")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".form-errors a[href='#id_email']").is_visible()
    assert page.locator("#id_name").input_value() == "Ana Phiri"
    snap(page, f"focal-point-error-{language}")
    assert axe(page) == []
    page.locator("#id_email").fill("ana@example.org")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.url.endswith(manage)
    focal_point.refresh_from_db()
    assert (focal_point.name, focal_point.email) == ("Ana Phiri", "ana@example.org")
    # Edit what it did.
    page.locator(f"a[href$='/achievements/{achievement.pk}/edit/']").click()
    page.wait_for_load_state()
    assert axe(page) == []
    page.locator("#id_people_trained").fill("45")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    achievement.refresh_from_db()
    assert achievement.people_trained == 45
    # Remove the focal point: the button asks first.
    page.locator(f"form[action$='/focal-points/{focal_point.pk}/remove/'] button").click()
    page.wait_for_load_state()
    assert "Ana Phiri" in page.locator("main h1").inner_text()
    assert page.locator("main").get_by_text("Zambia network").first.is_visible()
    snap(page, f"focal-point-remove-{language}")
    assert axe(page) == []
    assert FocalPoint.objects.exists()
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert not FocalPoint.objects.exists()
    # Remove the achievement.
    page.locator(f"form[action$='/achievements/{achievement.pk}/remove/'] button").click()
    page.wait_for_load_state()
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert not Achievement.objects.exists()
    assert page.url.endswith(manage)
    snap(page, f"network-manage-after-{language}")
    assert axe(page) == []
