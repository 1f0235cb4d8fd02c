"""Installable on phones (lvzhi/core/pwa.py): the manifest, the service worker
allowed to control the whole site, and an offline page that carries nothing
of the person who loaded it (the worker caches it)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_manifest_names_the_app_in_chinese_with_its_icons(client: Any) -> None:
    response = client.get(reverse("core:manifest"))
    assert response["Content-Type"] == "application/manifest+json"
    body = json.loads(response.content)
    assert body["short_name"] == "履职通" and body["display"] == "standalone"
    assert {icon["sizes"] for icon in body["icons"]} == {"192x192", "512x512", "any"}


def test_the_service_worker_may_control_every_page_and_lists_the_offline_page(
    client: Any,
) -> None:
    response = client.get(reverse("core:service_worker"))
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Content-Type"].startswith("text/javascript")
    text = response.content.decode()
    assert reverse("core:offline") in text and "/static/css/lvzhi.css" in text
    # A worker that cached signed-in pages would keep personal data on the phone.
    assert "cache.put" not in text


def test_the_offline_page_shows_no_name_even_to_a_signed_in_member(
    client_for: Any, member_user: Any
) -> None:
    member_user.display_name = "离线测试委员"
    member_user.save(update_fields=["display_name"])
    text = client_for(member_user).get(reverse("core:offline")).content.decode()
    assert "离线测试委员" not in text and 'id="offline-page"' in text
