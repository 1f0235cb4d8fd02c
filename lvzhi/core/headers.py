"""Response headers Django has no setting for (DESIGN §9, ASVS V14.4):
``Permissions-Policy`` switches off the browser features Lvzhi never uses,
so an injected script or a framed page cannot reach the camera, the
microphone, the location or payment. The other headers come from settings
(CSP, HSTS under HTTPS, Referrer-Policy, nosniff, X-Frame-Options)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
        "interest-cohort",
    )
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
