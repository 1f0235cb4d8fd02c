"""The view helpers every app uses: the form page, the list page with its
FilterSet, the query parameters and the app config's registries."""

from __future__ import annotations

import django_filters
import pytest
from django import forms
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.test import RequestFactory

from lvzhi.core.errors import ValidationFailed
from lvzhi.core.filters import ListFilterSet
from lvzhi.core.models import Holiday
from lvzhi.core.web import form_page, int_param, list_page, query_without_page, year_param


class NameForm(forms.Form):
    name = forms.CharField(max_length=5)


def _request(method: str = "get", data: dict | None = None, user=None):
    request = getattr(RequestFactory(), method)("/x/", data or {})
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    if user is not None:
        request.user = user
    return request


def test_a_valid_post_calls_the_service_and_redirects(db, member_user):
    saved = []
    request = _request("post", {"name": "甲"}, member_user)
    response = form_page(
        request,
        NameForm(request.POST),
        title="新",
        cancel_url="/back/",
        save=lambda data: saved.append(data["name"]) or "ok",
        success=lambda result: f"/done/{result}/",
        message="已保存",
    )
    assert response.status_code == 302 and response["Location"] == "/done/ok/"
    assert saved == ["甲"]


def test_bad_input_shows_the_form_again_with_what_was_typed_and_400(db, member_user):
    request = _request("post", {"name": "太长的名字啊"}, member_user)
    response = form_page(
        request, NameForm(request.POST), title="新", cancel_url="/back/", save=lambda d: 1
    )
    assert response.status_code == 400
    assert "太长的名字啊" in response.content.decode()


def test_a_refusal_by_the_service_is_shown_on_the_form(db, member_user):
    def refuse(data):
        raise ValidationFailed("名称已被使用")

    request = _request("post", {"name": "甲"}, member_user)
    response = form_page(
        request, NameForm(request.POST), title="新", cancel_url="/back/", save=refuse
    )
    assert response.status_code == 400
    assert "名称已被使用" in response.content.decode()


def test_an_unbound_form_page_is_a_200_with_the_cancel_link(db, member_user):
    response = form_page(
        _request(user=member_user), NameForm(), title="新的", cancel_url="/back/", danger=True
    )
    body = response.content.decode()
    assert response.status_code == 200 and 'href="/back/"' in body and "btn-danger" in body


class HolidayFilter(ListFilterSet):
    kind = django_filters.ChoiceFilter(choices=Holiday.Kind.choices)
    name = django_filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = Holiday
        fields = ["kind", "name"]


def test_the_list_page_filters_in_sql_and_keeps_the_filters_for_links(db, member_user):
    import datetime

    Holiday.objects.create(date=datetime.date(2031, 1, 1), name="元旦", kind="holiday")
    Holiday.objects.create(date=datetime.date(2031, 1, 4), name="补班", kind="workday")
    request = _request("get", {"name": "元", "page": "1"}, member_user)
    found = HolidayFilter(request.GET, queryset=Holiday.objects.filter(date__year=2031))
    response = list_page(request, "core/holiday_list.html", found, year=2031, years=[2031])
    assert response.status_code == 200
    assert [h.name for h in found.qs] == ["元旦"]
    assert query_without_page(request) == "name=%E5%85%83"


def test_an_empty_query_is_an_unbound_filter_with_every_row(db):
    found = HolidayFilter({}, queryset=Holiday.objects.all())
    assert not found.is_bound


@pytest.mark.parametrize(
    ("raw", "expected"), [("7", 7), ("", None), (None, None), ("x", None), ("-3", -3)]
)
def test_int_param_reads_a_number_or_nothing(raw, expected):
    assert int_param(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), [("2026", 2026), ("1999", 9), ("abc", 9), ("", 9)])
def test_year_param_accepts_only_plausible_years(raw, expected):
    assert year_param(RequestFactory().get("/", {"year": raw}), 9) == expected


def test_every_app_config_imports_its_registries():
    from django.apps import apps

    from lvzhi.core.app_config import LvzhiAppConfig

    ours = [c for c in apps.get_app_configs() if c.name.startswith("lvzhi.")]
    assert ours and all(isinstance(c, LvzhiAppConfig) for c in ours)
