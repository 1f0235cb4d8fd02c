"""The year in words as a Word document the office edits further (python-docx)."""

from __future__ import annotations

import io

from docx import Document

from lvzhi.reports.year import Piece, plain


def year_document(title: str, paragraphs: list[list[Piece]]) -> bytes:
    document = Document()
    document.add_heading(title, level=1)
    for paragraph in paragraphs:
        document.add_paragraph(plain(paragraph))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
