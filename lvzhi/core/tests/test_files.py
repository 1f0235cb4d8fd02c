import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from lvzhi.accounts.tests.factories import UserFactory
from lvzhi.core.errors import ValidationFailed
from lvzhi.core.files import attachment_response, attachment_save, attachments_of, upload_check
from lvzhi.core.models import Attachment

PDF = b"%PDF-1.4\n%fake but well-formed enough to sniff\n"


def test_a_pdf_is_recognised_by_its_content():
    assert upload_check(SimpleUploadedFile("a.pdf", PDF)) == "application/pdf"


def test_a_script_renamed_to_pdf_is_refused():
    with pytest.raises(ValidationFailed):
        upload_check(SimpleUploadedFile("a.pdf", b"#!/bin/sh\nrm -rf /\n"))


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationFailed):
        upload_check(SimpleUploadedFile("a.pdf", b""))


def test_a_file_over_10_mb_is_refused():
    big = SimpleUploadedFile("a.pdf", PDF + b"0" * (10 * 1024 * 1024))
    with pytest.raises(ValidationFailed):
        upload_check(big)


@pytest.mark.django_db
def test_an_attachment_is_stored_under_a_random_name_and_served_with_its_own(
    committee, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    user = UserFactory()
    attachment = attachment_save(
        committee=committee, owner=user, upload=SimpleUploadedFile("回复函.pdf", PDF), actor=user
    )
    assert "回复函" not in attachment.file.name
    assert attachment.original_name == "回复函.pdf"
    assert list(attachments_of(user)) == [attachment]
    response = attachment_response(Attachment.objects.get())
    assert b"".join(response.streaming_content) == PDF
    assert "attachment" in response["Content-Disposition"]
