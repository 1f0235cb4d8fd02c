"""Installable on phones (DESIGN §12): the web app manifest, the service
worker and the page it shows when the network is gone.

The service worker never caches a signed-in page (they carry personal data
and go stale); it keeps only the shared static files and the offline page,
so a member who loses the connection sees a clear page instead of the
browser's error, and the drafts kept in the browser (static/js/lvzhi.js)
are still there when the connection returns.
"""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control

# The files every page loads; cached at install so the offline page is styled.
SHELL_FILES = (
    "vendor/bootstrap/bootstrap.min.css",
    "vendor/bootstrap-icons/bootstrap-icons.min.css",
    "vendor/bootstrap-icons/fonts/bootstrap-icons.woff2",
    "css/lvzhi.css",
    "js/lvzhi.js",
    "img/icon.svg",
    "img/icon-192.png",
)
# Bumped when the worker's own logic changes; static file names change by
# themselves when whitenoise hashes them in production.
WORKER_VERSION = "1"


@cache_control(max_age=3600)
def manifest(request: HttpRequest) -> HttpResponse:
    body = {
        "name": _("Lvzhi — a platform for CPPCC committees"),
        "short_name": _("Lvzhi"),
        "start_url": reverse("home"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#a61b29",
        "lang": request.LANGUAGE_CODE,
        "icons": [
            {"src": static("img/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("img/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {"src": static("img/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
    }
    return HttpResponse(
        json.dumps(body, ensure_ascii=False), content_type="application/manifest+json"
    )


@cache_control(no_cache=True)
def service_worker(request: HttpRequest) -> HttpResponse:
    """The worker script, with the static URLs of this deployment written in.
    Served under /core/ but allowed to control the whole site."""
    config = {
        "version": WORKER_VERSION,
        "offline": reverse("core:offline"),
        "shell": [static(name) for name in SHELL_FILES],
    }
    response = render(
        request,
        "core/service_worker.js",
        {"config": json.dumps(config)},
        content_type="text/javascript; charset=utf-8",
    )
    response["Service-Worker-Allowed"] = "/"
    return response


def offline(request: HttpRequest) -> HttpResponse:
    """What the worker shows when a page cannot be loaded; public, no data."""
    return render(request, "core/offline.html")
