"""QR codes rendered here, never by an outside service (check-in projections,
venue posters, TOTP enrolment).

SVG scales to any screen or poster without blur; the size on screen is set
by CSS (``.qr-code``), not by the box size."""

from __future__ import annotations

import base64
import io

import qrcode
import qrcode.image.svg
from django.utils.safestring import SafeString, mark_safe


def _svg_bytes(data: str, box_size: int, border: int) -> bytes:
    image = qrcode.make(
        data, image_factory=qrcode.image.svg.SvgPathImage, box_size=box_size, border=border
    )
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue()


def qr_svg(data: str, *, box_size: int = 12, border: int = 2) -> SafeString:
    """The ``<svg>`` element, to inline in a page. Safe to mark so: the
    qrcode library writes only path geometry (the encoded text never appears
    as markup), and nothing a user typed reaches it unescaped."""
    svg = _svg_bytes(data, box_size, border).decode()
    return mark_safe(svg[svg.index("<svg") :])  # noqa: S308 - generated here, no user markup


def qr_data_uri(data: str, *, box_size: int = 12, border: int = 2) -> str:
    """The SVG as a ``data:`` URI for an ``<img>`` (the CSP allows data: images)."""
    encoded = base64.b64encode(_svg_bytes(data, box_size, border)).decode()
    return "data:image/svg+xml;base64," + encoded
