"""The Secretariat attaches a file to a library resource in a real browser (English and Arabic):
a refused file first (a clear error on the field), then a PDF; the library shows it with a
download link; then the Secretariat removes it (the button asks first) and the stored file is
deleted. axe-core checks on the edit page, the confirmation and the library."""

import pytest
from django.core.files.storage import default_storage

from compacts.actors import roles
from compacts.actors.testing import user_with_role
from compacts.network.models import Attachment, Resource
from compacts.network.tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-test-password-1"


@pytest.fixture
def resource():
    user_with_role(roles.NETWORK_SECRETARIAT, username="sec", password=PASSWORD)
    return Resource.objects.create(
        title="Guide on access to services",
        resource_type=factories.TermFactory(vocabulary="resource-type", code="guidance"),
    )


@pytest.mark.parametrize("language", ["en", "ar"])
def test_a_file_is_attached_to_a_resource(page, axe, live_server, resource, language, snap):
    page.goto("/accounts/login/?next=/network/hub/library/")
    page.locator("input[name=username]").fill("sec")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page.goto("/network/hub/library/")
    page.locator(f"main a[href='/network/hub/library/{resource.pk}/edit/']").click()
    page.wait_for_load_state()
    assert axe(page) == []
    # A renamed executable is refused, on the field.
    page.locator("#id_attach-file").set_input_files(
        files=[{"name": "guide.pdf", "mimeType": "application/pdf", "buffer": b"MZ fake"}]
    )
    page.locator("form:has(#id_attach-file) button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".form-errors a[href='#id_attach-file']").is_visible()
    assert not Attachment.objects.exists()
    snap(page, f"attachment-error-{language}")
    assert axe(page) == []
    page.locator("#id_attach-file").set_input_files(
        files=[{"name": "guide.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.7 guide"}]
    )
    page.locator("form:has(#id_attach-file) button[type=submit]").click()
    page.wait_for_load_state()
    attachment = Attachment.objects.get()
    assert attachment.resource == resource
    link = page.locator(f"main a[href='/network/hub/attachments/{attachment.pk}/']")
    assert link.inner_text() == "guide.pdf"
    snap(page, f"attachment-added-{language}")
    assert axe(page) == []
    # The public library offers the download.
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page.goto("/network/hub/library/")
    assert page.locator(f"main a[href='/network/hub/attachments/{attachment.pk}/']").is_visible()
    with page.expect_download() as download:
        page.locator(f"main a[href='/network/hub/attachments/{attachment.pk}/']").click()
    assert download.value.suggested_filename == "guide.pdf"
    snap(page, f"library-{language}")
    assert axe(page) == []
    # The Secretariat removes the file from the resource's edit page: asked first.
    page.goto("/accounts/login/?next=/network/hub/library/")
    page.locator("input[name=username]").fill("sec")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    page.goto(f"/network/hub/library/{resource.pk}/edit/")
    page.locator(f"form[action$='/hub/attachments/{attachment.pk}/remove/'] button").click()
    page.wait_for_load_state()
    assert "guide.pdf" in page.locator("main h1").inner_text()
    assert page.locator("main").get_by_text("Guide on access to services").first.is_visible()
    snap(page, f"attachment-remove-{language}")
    assert axe(page) == []
    stored = attachment.file.name
    assert default_storage.exists(stored)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/network/hub/library/{resource.pk}/edit/")
    assert not Attachment.objects.exists()
    assert not default_storage.exists(stored)  # deleted once the removal committed
    assert page.locator(f"main a[href='/network/hub/attachments/{attachment.pk}/']").count() == 0
    snap(page, f"attachment-removed-{language}")
    assert axe(page) == []
