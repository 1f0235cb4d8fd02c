"""The roster upload form. It checks only that a file of an allowed size came;
the content is checked by ``roster.read_sheet``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from lvzhi.core.excel import XLSX_CONTENT_TYPE
from lvzhi.org import roster


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Roster file (.xlsx)"),
        error_messages={
            "required": _("Choose the roster file to upload."),
            "empty": _("The file is empty."),
        },
        widget=forms.ClearableFileInput(attrs={"accept": f".xlsx,{XLSX_CONTENT_TYPE}"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "An Excel workbook filled in from the template, at most %(size)s MB."
        ) % {"size": settings.UPLOAD_MAX_BYTES // (1024 * 1024)}

    def refuse(self, message: str) -> None:
        """Show ``message`` as the only error of the file field."""
        self.errors.pop("file", None)
        self.add_error("file", message)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > settings.UPLOAD_MAX_BYTES:
            raise forms.ValidationError(roster.too_large_message(), code="too_large")
        return upload


class FullExportForm(forms.Form):
    """Before a roster with full ID and mobile numbers is downloaded: why,
    and a confirmation that the file will be kept safe (issue 11)."""

    purpose = forms.CharField(
        label=_("Purpose of the export"),
        min_length=4,
        max_length=200,
        help_text=_("What the full numbers are needed for; it is kept in the audit trail."),
        error_messages={
            "required": _("State the purpose of the export."),
            "min_length": _("Describe the purpose in a few words (at least 4 characters)."),
        },
    )
    confirm = forms.BooleanField(
        label=_(
            "I confirm that the file holds personal data, will be used only for this purpose "
            "and will be deleted afterwards."
        ),
        error_messages={"required": _("Confirm how the file will be handled.")},
    )
