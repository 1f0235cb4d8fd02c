"""The project's URLs plus views that fail on purpose, for the error-page tests."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import path

from lvzhi.urls import handler403, handler404, handler500
from lvzhi.urls import urlpatterns as project_urls


def refuse(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


def crash(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("boom")


urlpatterns = [
    path("test/refuse/", refuse),
    path("test/crash/", crash),
    *project_urls,
]

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]
