"""The language a page speaks (lvzhi/core/language.py, docs/i18n.md): Simplified
Chinese whatever the browser's language, Traditional Chinese when the browser
asks for it, English only when the user chose it with the switch."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from lvzhi.core.language import browser_language
from lvzhi.public.tests.factories import VenueFactory


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("", "zh-hans"),
        ("en-US,en;q=0.9", "zh-hans"),
        ("en", "zh-hans"),
        ("fr-FR,fr;q=0.8,de;q=0.5", "zh-hans"),
        ("*", "zh-hans"),
        ("zh-CN,zh;q=0.9", "zh-hans"),
        ("zh", "zh-hans"),
        ("zh-SG", "zh-hans"),
        ("zh-Hans-HK", "zh-hans"),
        ("zh-TW", "zh-hant"),
        ("zh-HK", "zh-hant"),
        ("zh-MO", "zh-hant"),
        ("zh-Hant", "zh-hant"),
        ("zh-Hant-TW,zh;q=0.8", "zh-hant"),
        ("en-US,zh-TW;q=0.8,zh-CN;q=0.5", "zh-hant"),  # the first Chinese decides
        ("en-US,zh-CN;q=0.8,zh-TW;q=0.5", "zh-hans"),
        ("zh-CN;q=0.5,zh-HK;q=0.9", "zh-hant"),  # by quality, not by place in the header
        ("not a ; header,,", "zh-hans"),
        ("x" * 600, "zh-hans"),
    ],
)
def test_the_browser_gets_simplified_chinese_unless_it_asks_for_traditional(
    header: str, expected: str
) -> None:
    assert browser_language(header) == expected


@pytest.mark.django_db
@pytest.mark.parametrize("header", ["en-US,en", "en", "fr", ""])
def test_a_browser_asking_for_english_gets_the_chinese_login_page(
    client: Client, header: str
) -> None:
    response = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE=header)
    body = response.content.decode()
    assert response.status_code == 200
    assert 'lang="zh-hans"' in body
    assert "登录" in body
    assert "Log in" not in body
    assert response["Content-Language"] == "zh-hans"
    assert "Accept-Language" in response["Vary"]


@pytest.mark.django_db
@pytest.mark.parametrize("header", ["zh-TW", "zh-HK,zh;q=0.9", "zh-MO", "zh-Hant"])
def test_a_browser_asking_for_traditional_chinese_gets_it(client: Client, header: str) -> None:
    body = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE=header).content.decode()
    assert 'lang="zh-hant"' in body
    assert "登錄" in body


@pytest.mark.django_db
def test_the_public_venue_page_is_chinese_on_a_phone_set_to_english(client: Client) -> None:
    venue = VenueFactory()
    url = reverse("public:venue_page", args=[venue.code])
    body = client.get(url, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "为您服务的委员" in body
    assert "Who is here for you" not in body
    hant = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-HK").content.decode()
    assert "爲您服務的委員" in hant


@pytest.mark.django_db
def test_english_only_when_the_user_chooses_it_and_back_again(client: Client) -> None:
    login = reverse("accounts:login")
    response = client.post(
        reverse("core:set_language"), {"language": "en", "next": login}, HTTP_ACCEPT_LANGUAGE="zh"
    )
    assert response.status_code == 302
    assert response["Location"] == login
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    # The choice wins over the browser, whichever language the browser asks for.
    body = client.get(login, HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert 'lang="en"' in body
    assert "Log in" in body
    # Choosing Simplified Chinese again also wins over a Traditional browser.
    client.post(reverse("core:set_language"), {"language": "zh-hans", "next": login})
    body = client.get(login, HTTP_ACCEPT_LANGUAGE="zh-TW").content.decode()
    assert 'lang="zh-hans"' in body
    assert "登录" in body


@pytest.mark.django_db
def test_a_language_cookie_we_do_not_have_falls_back_to_the_browser_rule(client: Client) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    body = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'lang="zh-hans"' in body


@pytest.mark.django_db
def test_the_switch_refuses_an_unknown_language_and_an_outside_next(client: Client) -> None:
    response = client.post(
        reverse("core:set_language"), {"language": "xx", "next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]
    assert settings.LANGUAGE_COOKIE_NAME not in client.cookies


@pytest.mark.django_db
def test_every_page_offers_the_language_switch(client: Client) -> None:
    body = client.get(reverse("accounts:login")).content.decode()
    assert 'id="language-switch"' in body
    assert 'action="/core/language/"' in body
    assert "English" in body and "繁體中文" in body
