"""Control characters and direction overrides never enter the system
(lvzhi/core/input.py): forms, query strings, API bodies, file names."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from lvzhi.api.main import CleaningParser
from lvzhi.core.input import InputCleaningMiddleware, clean_text, clean_value, raw_body

RLO = "\u202e"  # right-to-left override: "txt.exe" shown as "exe.txt"
HOSTILE = f"关于{RLO}加强\x00社区\u2066养老\u2069服务\x1b的提案\ufeff"


def test_clean_text_removes_controls_and_overrides_but_keeps_line_breaks_and_joiners() -> None:
    assert clean_text(HOSTILE) == "关于加强社区养老服务的提案"
    kept = "第一段\n第二段\t制表\r\n👨\u200d👩\u200d👧"
    assert clean_text(kept) == kept


def test_clean_value_cleans_every_string_of_a_json_value() -> None:
    value = {"title": HOSTILE, "tags": [RLO + "甲", 3, None], RLO + "key": {"x": "乙\x07"}}
    assert clean_value(value) == {
        "title": "关于加强社区养老服务的提案",
        "tags": ["甲", 3, None],
        "key": {"x": "乙"},
    }


def _through_middleware(request: HttpRequest, view: Any = None) -> HttpRequest:
    seen: dict[str, HttpRequest] = {}

    def the_view(req: HttpRequest) -> HttpResponse:
        seen["request"] = req
        return HttpResponse("ok")

    view = view or the_view
    middleware = InputCleaningMiddleware(lambda req: view(req))
    middleware.process_view(request, view, (), {})
    middleware(request)
    return seen.get("request", request)


@pytest.mark.parametrize("multipart", [False, True])
def test_posted_fields_and_the_query_string_reach_the_view_clean(multipart: bool) -> None:
    factory = RequestFactory()
    if multipart:
        data = {
            "title": HOSTILE,
            "list": [RLO + "一", "二\x00"],
            "file": SimpleUploadedFile("a.txt", b"content"),
        }
        request = factory.post(f"/x/?q={RLO}abc", data)
    else:
        request = factory.generic(
            "POST",
            f"/x/?q={RLO}abc",
            f"title={HOSTILE}&list={RLO}一&list=二%00".encode(),
            content_type="application/x-www-form-urlencoded",
        )
    seen = _through_middleware(request)
    assert seen.POST["title"] == "关于加强社区养老服务的提案"
    assert seen.POST.getlist("list") == ["一", "二"]
    assert seen.GET["q"] == "abc"
    if multipart:
        assert seen.FILES["file"].read() == b"content"
    assert not seen.POST._mutable  # type: ignore[attr-defined]


def test_a_view_that_reads_its_own_body_is_left_alone() -> None:
    @raw_body
    def importer(req: HttpRequest) -> HttpResponse:
        return HttpResponse("ok")

    request = RequestFactory().post("/import/", {"title": HOSTILE})
    middleware = InputCleaningMiddleware(importer)
    middleware.process_view(request, importer, (), {})
    # The body was not parsed by the middleware: the view may still install
    # its upload handlers.
    assert not hasattr(request, "_post")


def test_api_bodies_are_cleaned_by_the_api_parser() -> None:
    request = RequestFactory().post(
        "/api/v1/x", json.dumps({"title": HOSTILE}), content_type="application/json"
    )
    assert CleaningParser().parse_body(request) == {"title": "关于加强社区养老服务的提案"}


@pytest.mark.django_db
def test_an_uploaded_files_name_is_stored_clean(committee: Any) -> None:
    from lvzhi.accounts.tests.factories import UserFactory
    from lvzhi.core.files import attachment_save

    user = UserFactory()
    upload = SimpleUploadedFile(f"说明{RLO}fdp.exe", b"%PDF-1.4\n" + b"\x00" * 32)
    attachment = attachment_save(committee=committee, owner=user, upload=upload, actor=user)
    assert attachment.original_name == "说明fdp.exe"
