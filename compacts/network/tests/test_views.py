"""Every page renders for the public and for the Secretariat; forms keep what was typed; files are
downloads."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from compacts.network import services
from compacts.network.models import Practice
from compacts.network.tests import factories
from compacts.network.tests.conftest import complete_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(hub_refs, submitter, secretariat):
    practice = services.practice_create(actor=submitter, data=complete_data(hub_refs))
    services.practice_submit(actor=submitter, practice=practice)
    group = factories.WorkingGroupFactory(code="6")
    network = factories.CountryNetworkFactory(country=hub_refs["country"])
    event = factories.EventFactory(working_group=group, country_network=network)
    call = factories.CallFactory()
    request = factories.SupportRequestFactory(submitted_by=secretariat)
    return {
        "practice": practice,
        "group": group,
        "network": network,
        "event": event,
        "call": call,
        "request": request,
    }


PUBLIC = [
    "network:index",
    "network:working-groups",
    "network:networks",
    "network:events",
    "network:hub",
    "network:calls",
    "network:library",
]


@pytest.mark.parametrize("name", PUBLIC)
def test_public_pages(world, name):
    assert Client().get(reverse(name)).status_code == 200


def test_detail_pages(world, secretariat):
    client = Client()
    client.force_login(secretariat)
    for url in (
        reverse("network:working-group", args=["6"]),
        reverse("network:network", args=[world["network"].pk]),
        reverse("network:event", args=[world["event"].pk]),
        reverse("network:practice", args=[world["practice"].pk]),
        reverse("network:call", args=[world["call"].pk]),
        reverse("network:members"),
        reverse("network:secretariat"),
        reverse("network:requests"),
        reverse("network:request", args=[world["request"].pk]),
        reverse("network:request-new"),
        reverse("network:practice-new"),
    ):
        assert client.get(url).status_code == 200, url


def test_queues_are_the_secretariats(world, submitter):
    client = Client()
    client.force_login(submitter)
    assert client.get(reverse("network:secretariat")).status_code == 403
    assert Client().get(reverse("network:secretariat")).status_code == 302


def test_hub_htmx_returns_only_results(world):
    response = Client().get(reverse("network:hub"), {"q": '"'}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert b"<html" not in response.content


@pytest.mark.parametrize("query", ['"', "OR", "-", "NEAR(", "%", "a" * 300, "健康"])
def test_hub_odd_queries(world, query):
    response = Client().get(reverse("network:hub"), {"q": query, "objective": ["x", "15"]})
    assert response.status_code == 200


def test_submitting_an_incomplete_practice_keeps_the_draft_and_names_fields(submitter, hub_refs):
    client = Client()
    client.force_login(submitter)
    response = client.post(
        reverse("network:practice-new"),
        {"title": "Half done", "description": "Typed text", "language": "en", "submit": "1"},
    )
    assert response.status_code == 400
    practice = Practice.objects.get()
    assert (practice.title, practice.description, practice.state) == (
        "Half done",
        "Typed text",
        "draft",
    )
    content = response.content.decode()
    assert "Fill in these fields to submit" in content
    assert "What makes it innovative" in content
    assert "Typed text" in content
    # The form now posts to the draft, so a second try does not create a second practice.
    assert f'action="/network/hub/practices/{practice.pk}/edit/"' in content


def test_a_wrong_attachment_keeps_the_draft(submitter, hub_refs):
    client = Client()
    client.force_login(submitter)
    response = client.post(
        reverse("network:practice-new"),
        {
            "title": "With file",
            "language": "en",
            "save": "1",
            "attachment": SimpleUploadedFile("x.exe", b"MZ"),
        },
    )
    assert response.status_code == 400
    assert "are not accepted" in response.content.decode()
    assert Practice.objects.get().title == "With file"


def test_attachments_are_downloads(submitter, secretariat, hub_refs):
    practice = services.practice_create(actor=submitter, data=complete_data(hub_refs))
    attachment = services.attachment_add(
        actor=submitter,
        practice=practice,
        upload=SimpleUploadedFile("report.pdf", b"%PDF-1.4 x", content_type="application/pdf"),
    )
    client = Client()
    client.force_login(submitter)
    response = client.get(reverse("network:attachment", args=[attachment.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    # A draft's attachment is not public.
    assert Client().get(reverse("network:attachment", args=[attachment.pk])).status_code == 404


def test_registration_after_the_deadline_shows_a_clear_error(submitter):
    import datetime

    from django.utils import timezone

    event = factories.EventFactory(
        registration_deadline=timezone.now() - datetime.timedelta(hours=1)
    )
    client = Client()
    client.force_login(submitter)
    response = client.post(reverse("network:event", args=[event.pk]), {"organisation_name": "X"})
    assert response.status_code == 400
    assert "deadline" in response.content.decode()
