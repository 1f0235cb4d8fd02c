import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext as _

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


# --- Office files: what the name says, no macros, no zip bombs ----------------------------


def ooxml(name: str, parts: dict[str, bytes]) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        for part, data in parts.items():
            archive.writestr(part, data)
    return SimpleUploadedFile(name, buffer.getvalue())


def test_a_real_word_document_is_accepted():
    upload = ooxml("报告.docx", {"word/document.xml": b"<w:document/>"})
    assert upload_check(upload).endswith("wordprocessingml.document")
    assert upload.read(2) == b"PK"  # left at the start for storing


def test_any_zip_named_docx_is_refused():
    with pytest.raises(ValidationFailed) as refused:
        upload_check(ooxml("报告.docx", {"payload.exe": b"MZ"}))
    assert refused.value.message == _msg_not_office()


def test_a_workbook_named_docx_is_refused():
    with pytest.raises(ValidationFailed):
        upload_check(ooxml("报告.docx", {"xl/workbook.xml": b"<workbook/>"}))


@pytest.mark.parametrize("part", ["word/vbaProject.bin", "word/activeX/activeX1.xml"])
def test_a_document_with_macros_or_activex_is_refused(part):
    upload = ooxml("报告.docx", {"word/document.xml": b"<w:document/>", part: b"\x00"})
    with pytest.raises(ValidationFailed) as refused:
        upload_check(upload)
    assert refused.value.message == _msg_macros()


def test_a_workbook_that_unpacks_to_hundreds_of_megabytes_is_refused():
    bomb = ooxml("表.xlsx", {"xl/workbook.xml": b"<workbook/>", "xl/big.xml": b"0" * (210 << 20)})
    assert bomb.size < 10 * 1024 * 1024
    with pytest.raises(ValidationFailed) as refused:
        upload_check(bomb)
    assert refused.value.message == _("The file unpacks to too much data and is refused.")


def _msg_not_office():
    return _("The file is damaged or not a real Office document.")


def _msg_macros():
    return _("Office files with macros are not accepted; save it without macros and try again.")
