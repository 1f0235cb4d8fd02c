"""Attachments (DESIGN §5, §9): stored under random names, checked by their
content (not their name) and size, and served only by a view that has
already checked the permission on the object they belong to."""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.http import FileResponse
from django.utils.translation import gettext as _

from lvzhi.core.errors import ValidationFailed
from lvzhi.core.input import clean_text
from lvzhi.core.models import Attachment

# Content sniffed from the first bytes; the extension only picks between
# formats that share a container (Office files are zip or OLE archives).
_SIGNATURES: list[tuple[bytes, str]] = [
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"PK\x03\x04", "zip"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"),
]
_ZIP_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
_OLE_TYPES = {
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "ppt": "application/vnd.ms-powerpoint",
}
ALLOWED_EXTENSIONS = ("pdf", "png", "jpg", "jpeg", *_ZIP_TYPES, *_OLE_TYPES)
# The part every genuine OOXML file of that kind has (a zip named .docx is not one).
_MAIN_PARTS = {
    "docx": "word/document.xml",
    "xlsx": "xl/workbook.xml",
    "pptx": "ppt/presentation.xml",
}
# A 10 MB Office file unpacks to far less; more entries or bytes mean a zip bomb.
MAX_ZIP_ENTRIES = 5000
MAX_UNPACKED_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True)
class FileKinds:
    """The kinds a particular upload accepts: their content types, and the
    names a refusal lists (a citizen adding a photo is told "JPEG、PNG", not
    the dozen office formats an attachment may be)."""

    content_types: frozenset[str] | None  # None: every kind we can sniff
    names: tuple[str, ...]


ANY_FILE = FileKinds(None, ALLOWED_EXTENSIONS)
PHOTOS = FileKinds(frozenset({"image/jpeg", "image/png"}), ("JPEG", "PNG"))


def sniff_content_type(head: bytes, filename: str) -> str | None:
    """The allowed content type of a file, or None if it is not an allowed kind."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    for signature, kind in _SIGNATURES:
        if head.startswith(signature):
            if kind == "zip":
                return _ZIP_TYPES.get(extension)
            if kind == "ole":
                return _OLE_TYPES.get(extension)
            return kind
    return None


def upload_check(upload: UploadedFile, *, kinds: FileKinds = ANY_FILE) -> str:
    """Refuse a file that is too big or not one of ``kinds``; return its type."""
    if upload.size is None or upload.size == 0:
        raise ValidationFailed(_("The file is empty."))
    if upload.size > settings.UPLOAD_MAX_BYTES:
        raise ValidationFailed(
            _("The file is larger than %(limit)s MB.")
            % {"limit": settings.UPLOAD_MAX_BYTES // (1024 * 1024)}
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    content_type = sniff_content_type(head, upload.name or "")
    if content_type is None or (
        kinds.content_types is not None and content_type not in kinds.content_types
    ):
        raise ValidationFailed(
            _("This kind of file is not accepted. Allowed: %(kinds)s.")
            % {"kinds": "、".join(kinds.names)}
        )
    if content_type in _ZIP_TYPES.values():
        ooxml_check(upload, extension=(upload.name or "").rsplit(".", 1)[-1].lower())
    return content_type


def ooxml_check(upload: UploadedFile, *, extension: str) -> None:
    """Refuse an Office (OOXML) file that is not what its name says, carries
    macros or ActiveX controls, or unpacks to far more than it weighs."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ValidationFailed(_("The file is damaged or not a real Office document.")) from error
    finally:
        upload.seek(0)
    names = {entry.filename.lower() for entry in entries}
    if (
        len(entries) > MAX_ZIP_ENTRIES
        or sum(entry.file_size for entry in entries) > MAX_UNPACKED_BYTES
    ):
        raise ValidationFailed(_("The file unpacks to too much data and is refused."))
    if "[content_types].xml" not in names or _MAIN_PARTS[extension] not in names:
        raise ValidationFailed(_("The file is damaged or not a real Office document."))
    if any(name.endswith("vbaproject.bin") or "/activex/" in f"/{name}" for name in names):
        raise ValidationFailed(
            _("Office files with macros are not accepted; save it without macros and try again.")
        )


def attachment_save(
    *, committee: Any, owner: models.Model, upload: UploadedFile, actor: Any, purpose: str = ""
) -> Attachment:
    """Check and store one upload for ``owner``; call inside the caller's transaction."""
    content_type = upload_check(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    attachment = Attachment(
        committee=committee,
        owner_type=ContentType.objects.get_for_model(owner),
        owner_id=owner.pk,
        purpose=purpose,
        original_name=(clean_text(upload.name or "") or "file")[:200],
        content_type=content_type,
        size=upload.size or 0,
        sha256=digest.hexdigest(),
        uploaded_by=actor,
    )
    attachment.file.save("upload", upload, save=False)
    attachment.save()
    return attachment


def attachments_of(owner: models.Model, purpose: str | None = None) -> models.QuerySet[Attachment]:
    rows = Attachment.objects.filter(
        owner_type=ContentType.objects.get_for_model(owner), owner_id=owner.pk
    )
    if purpose is not None:
        rows = rows.filter(purpose=purpose)
    return rows


def attachment_response(attachment: Attachment) -> FileResponse:
    """Serve a file; the caller has checked the permission on its owner."""
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
