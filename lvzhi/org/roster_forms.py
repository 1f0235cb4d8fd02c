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
