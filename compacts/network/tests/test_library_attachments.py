"""The library resource page's upload field: the Secretariat attaches a file (checked by the
service: type, size, content), a bad file is refused on the field and nothing is stored, others
are refused; the library lists each resource's files with download links for everyone."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from compacts.core.models import AuditRecord
from compacts.network.models import Attachment, Resource
from compacts.network.tests import factories

pytestmark = pytest.mark.django_db


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def resource(db):
    return Resource.objects.create(
        title="Guide on access to services",
        resource_type=factories.TermFactory(vocabulary="resource-type", code="guidance"),
    )


def _attach(client, resource, name: str, content: bytes):
    return client.post(
        reverse("network:resource-edit", args=[resource.pk]),
        {"action": "attach", "attach-file": SimpleUploadedFile(name, content)},
    )


class TestResourceAttachments:
    def test_the_edit_page_has_the_upload_field(self, secretariat, resource):
        page = _client(secretariat).get(reverse("network:resource-edit", args=[resource.pk]))
        body = page.content.decode()
        assert 'enctype="multipart/form-data"' in body
        assert 'type="file"' in body
        assert '<label for="id_attach-file">' in body
        assert "No file attached yet." in body
        new = _client(secretariat).get(reverse("network:resource-new")).content.decode()
        assert 'type="file"' not in new  # a resource is saved before files are attached

    def test_the_secretariat_attaches_a_file_and_everyone_downloads_it(self, secretariat, resource):
        client = _client(secretariat)
        response = _attach(client, resource, "guide.pdf", b"%PDF-1.7 guide")
        assert response.status_code == 302
        attachment = Attachment.objects.get()
        assert (attachment.resource, attachment.original_name) == (resource, "guide.pdf")
        assert AuditRecord.objects.filter(action="network.attachment.create").exists()
        edit = client.get(reverse("network:resource-edit", args=[resource.pk])).content.decode()
        assert reverse("network:attachment", args=[attachment.pk]) in edit
        library = _client().get(reverse("network:library")).content.decode()
        assert reverse("network:attachment", args=[attachment.pk]) in library
        assert "guide.pdf" in library
        download = _client().get(reverse("network:attachment", args=[attachment.pk]))
        assert download.status_code == 200
        assert download["Content-Disposition"].startswith("attachment")
        assert b"".join(download.streaming_content) == b"%PDF-1.7 guide"

    @pytest.mark.parametrize(
        ("name", "content", "message"),
        [
            ("tool.exe", b"MZ", "not accepted"),
            ("guide.pdf", b"MZ not a pdf", "The file's content does not match its pdf extension."),
            ("empty.pdf", b"", "The submitted file is empty."),
        ],
    )
    def test_a_bad_file_is_refused_on_the_field(
        self, secretariat, resource, name, content, message
    ):
        response = _attach(_client(secretariat), resource, name, content)
        assert response.status_code == 400
        body = response.content.decode()
        assert escape(message) in body
        assert 'href="#id_attach-file"' in body
        assert 'value="Guide on access to services"' in body  # the metadata form is kept
        assert not Attachment.objects.exists()

    def test_a_missing_file_and_others_are_refused(self, secretariat, submitter, resource):
        missing = _client(secretariat).post(
            reverse("network:resource-edit", args=[resource.pk]), {"action": "attach"}
        )
        assert missing.status_code == 400
        assert 'href="#id_attach-file"' in missing.content.decode()
        refused = _attach(_client(submitter), resource, "guide.pdf", b"%PDF-1.7")
        assert refused.status_code == 403
        assert _attach(_client(), resource, "guide.pdf", b"%PDF-1.7").status_code == 302
        assert not Attachment.objects.exists()
        resource.refresh_from_db()
        assert resource.title == "Guide on access to services"
