"""Which language a page speaks (DESIGN §5 Language; docs/i18n.md).

The interface is Simplified Chinese whatever the browser's language: a phone
set to English still gets Chinese, because the English catalogue is the
maintainers' (the msgids), not a translation for users. Two exceptions:

- a browser that asks for Traditional Chinese (``zh-Hant``, ``zh-TW``,
  ``zh-HK``, ``zh-MO``, as members from Hong Kong and Macao have it) before any
  other Chinese gets Traditional Chinese;
- a language the user chose explicitly — the language switch at the foot of
  every page posts to Django's ``set_language``, which keeps the choice in the
  language cookie — wins over the browser, English included.

``LanguageMiddleware`` takes the place of Django's ``LocaleMiddleware`` (whose
response half it keeps: ``Content-Language`` and ``Vary: Accept-Language``).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header

SIMPLIFIED = "zh-hans"
TRADITIONAL = "zh-hant"
# Regions whose Chinese is written in Traditional characters.
TRADITIONAL_REGIONS = ("zh-tw", "zh-hk", "zh-mo")


def _chinese_variant(tag: str) -> str | None:
    """zh-hans or zh-hant for a Chinese language tag, None for any other."""
    tag = tag.lower().replace("_", "-")
    if tag != "zh" and not tag.startswith("zh-"):
        return None
    if tag.startswith("zh-hans"):
        return SIMPLIFIED
    if tag.startswith("zh-hant") or any(
        tag == region or tag.startswith(region + "-") for region in TRADITIONAL_REGIONS
    ):
        return TRADITIONAL
    return SIMPLIFIED


def chosen_language(request: HttpRequest) -> str | None:
    """The language the user chose with the switch, if it is one we have."""
    code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if not code:
        return None
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return None


def browser_language(accept_language: str) -> str:
    """Traditional Chinese when the browser's first Chinese is Traditional;
    otherwise Simplified Chinese (English and every other language included)."""
    for tag, _quality in parse_accept_lang_header(accept_language):
        variant = _chinese_variant(tag)
        if variant is not None:
            return variant
    return SIMPLIFIED


def language_for(request: HttpRequest) -> str:
    return chosen_language(request) or browser_language(
        request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    )


class LanguageMiddleware(LocaleMiddleware):
    """Activates ``language_for(request)`` for the request (no URL prefixes)."""

    def process_request(self, request: HttpRequest) -> None:
        translation.activate(language_for(request))
        request.LANGUAGE_CODE = translation.get_language()
