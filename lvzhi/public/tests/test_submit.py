"""A citizen sends a message from a venue's public page (no login)."""

from __future__ import annotations

import io
import math
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse

from lvzhi.core.models import Attachment
from lvzhi.public import codes, services
from lvzhi.public.models import Message, Venue
from lvzhi.public.tests.conftest import public_settings_set

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
PDF = b"%PDF-1.4\n" + b"\x00" * 64


def page_url(venue: Venue) -> str:
    return reverse("public:venue_page", args=[venue.code])


def form_token(client: Client, venue: Venue) -> str:
    response = client.get(page_url(venue))
    assert response.status_code == 200
    return str(response.context["form"].initial["form_token"])


def post(client: Client, venue: Venue, token: str, **data: Any) -> Any:
    payload = {"category": "suggestion", "text": "公园里的健身器材坏了", "form_token": token}
    payload.update(data)
    return client.post(page_url(venue), payload, REMOTE_ADDR=data.pop("ip", "203.0.113.9"))


def test_the_public_page_opens_without_login_and_shows_who_is_behind_it(
    client: Client, venue: Venue, member: Any
) -> None:
    response = client.get(page_url(venue))
    assert response.status_code == 200
    text = response.content.decode()
    assert venue.studio.name in text
    assert member.person.name in text
    assert "科技服务" in text
    # The consent box is there and not ticked.
    assert 'name="consent"' in text
    assert 'name="consent" id="id_consent" class="form-check-input" checked' not in text


def test_a_wrong_venue_code_is_404(client: Client, venue: Venue) -> None:
    assert client.get(reverse("public:venue_page", args=["notacode"])).status_code == 404


def test_posting_the_same_form_twice_creates_one_message_and_shows_the_same_code(
    client: Client, venue: Venue
) -> None:
    token = form_token(client, venue)
    first = post(client, venue, token)
    second = post(client, venue, token)
    assert first.status_code == 302 and second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Message.objects.count() == 1
    code = first["Location"].split("/p/t/")[1].split("/")[0]
    assert services.message_by_code(code) == Message.objects.get()


@pytest.mark.django_db(transaction=True)
def test_two_tabs_posting_the_same_form_at_once_create_one_message(venue: Venue) -> None:
    token = codes.new_form_token()
    results: list[Any] = []

    def send() -> None:
        try:
            results.append(
                services.message_submit(
                    venue=venue,
                    category="question",
                    text="同时提交",
                    form_token=token,
                    ip="1.2.3.4",
                )
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert Message.objects.filter(form_token=token).count() == 1
    assert len({r.code for r in results}) == 1
    assert sum(r.created for r in results) == 1


def test_tracking_codes_have_at_least_80_bits_and_differ(submit: Callable[..., Any]) -> None:
    assert codes.CODE_BITS >= 80
    assert len(codes.ALPHABET) ** codes.CODE_LENGTH >= 2**80
    assert math.log2(len(set(codes.ALPHABET))) == 5
    seen = {submit(form_token=codes.new_form_token(), ip=f"10.0.0.{i}").code for i in range(5)}
    assert len(seen) == 5
    assert all(len(c) == 16 and set(c) <= set(codes.ALPHABET) for c in seen)


def test_the_code_is_never_stored_in_clear(submit: Callable[..., Any]) -> None:
    result = submit()
    row = Message.objects.filter(pk=result.message.pk).values()[0]
    assert all(result.code not in str(value) for value in row.values())


def test_the_tracking_page_shows_the_message_and_any_wrong_code_answers_on_the_tracking_form(
    client: Client, submit: Callable[..., Any]
) -> None:
    result = submit()
    ok = client.get(reverse("public:track", args=[codes.display(result.code)]))
    assert ok.status_code == 200
    assert "小区门口路灯坏了" in ok.content.decode()
    # Lower case and without dashes works too.
    assert client.get(reverse("public:track", args=[result.code.lower()])).status_code == 200
    wrong_one_char = result.code[:-1] + ("A" if result.code[-1] != "A" else "B")
    for code in (wrong_one_char, "AAAAAAAAAAAAAAAA", "short", "-"):
        response = client.get(reverse("public:track", args=[code]))
        assert response.status_code == 404
        body = response.content.decode()
        # The citizen's tracking form with the reason, never the staff login.
        assert "查询码不存在，请核对" in body
        assert reverse("public:track_lookup") in body or 'name="code"' in body
        assert reverse("accounts:login") not in body
        assert "小区门口路灯坏了" not in body


def test_a_wrong_code_typed_in_the_lookup_form_is_kept_with_the_reason(
    client: Client, submit: Callable[..., Any]
) -> None:
    result = submit()
    response = client.post(reverse("public:track_lookup"), {"code": "WRONG-CODE-1234"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "查询码不存在，请核对" in body
    assert 'value="WRONG-CODE-1234"' in body
    found = client.post(reverse("public:track_lookup"), {"code": codes.display(result.code)})
    assert found.status_code == 302
    assert found["Location"] == reverse("public:track", args=[codes.normalise(result.code)])


def test_many_wrong_codes_from_one_address_are_refused_for_an_hour(client: Client) -> None:
    for _ in range(30):
        assert client.get(reverse("public:track", args=["AAAAAAAAAAAAAAAA"])).status_code == 404
    refused = client.get(reverse("public:track", args=["AAAAAAAAAAAAAAAA"]))
    assert refused.status_code == 429


def test_the_honeypot_refuses_with_a_clear_message(client: Client, venue: Venue) -> None:
    token = form_token(client, venue)
    response = post(client, venue, token, website="http://spam.example")
    assert response.status_code == 400
    assert Message.objects.count() == 0
    errors = response.context["form"].errors["website"]
    # A generic refusal: it does not tell a bot which field gave it away.
    assert "Website" not in errors[0] and "网站" not in errors[0]
    assert "reload" in errors[0] or "重新" in errors[0]


def test_the_address_rate_limit_refuses_with_a_clear_message(client: Client, venue: Venue) -> None:
    public_settings_set(venue.committee, per_ip_per_hour=2)
    for _ in range(2):
        assert post(client, venue, form_token(client, venue)).status_code == 302
    refused = post(client, venue, form_token(client, venue))
    assert refused.status_code == 429
    assert Message.objects.count() == 2
    assert refused.context["form"].non_field_errors()


def test_the_venue_surge_counts_every_address_and_holds_instead_of_refusing(
    submit: Callable[..., Any], venue: Venue
) -> None:
    public_settings_set(venue.committee, per_venue_per_hour=3)
    for i in range(3):
        assert submit(ip=f"10.1.0.{i}").message.status == Message.Status.RECEIVED
    held = submit(ip="10.1.0.99").message
    assert held.status == Message.Status.HELD and held.deadline is None
    assert Message.objects.count() == 4


def test_a_number_without_consent_is_kept_in_the_form_and_the_question_asked_again(
    client: Client, venue: Venue
) -> None:
    response = post(client, venue, form_token(client, venue), mobile="13912345678")
    assert response.status_code == 400
    assert not Message.objects.exists()
    body = response.content.decode()
    assert 'value="13912345678"' in body
    assert 'id="consent-error"' in body
    assert "公园里的健身器材坏了" in body  # nothing typed is lost


def test_the_service_never_stores_a_number_without_consent(submit: Callable[..., Any]) -> None:
    message = submit(mobile="13912345678", consent=False).message
    assert message.mobile_encrypted == "" and message.mobile_hash == ""
    assert not message.mobile_consent


def test_a_number_with_consent_is_stored_encrypted(client: Client, venue: Venue) -> None:
    post(client, venue, form_token(client, venue), mobile="139 1234 5678", consent="on")
    message = Message.objects.get()
    assert message.mobile_consent
    assert "13912345678" not in message.mobile_encrypted
    assert message.mobile == "13912345678"


def test_too_long_and_empty_messages_are_refused(submit: Callable[..., Any]) -> None:
    with pytest.raises(services.ValidationFailed):
        submit(text="")
    with pytest.raises(services.ValidationFailed) as refused:
        submit(text="字" * 1001)
    assert "1000" in refused.value.message
    assert Message.objects.count() == 0


def test_photos_must_be_jpeg_or_png_and_few(submit: Callable[..., Any]) -> None:
    ok = submit(photos=[SimpleUploadedFile("a.png", PNG), SimpleUploadedFile("b.jpg", JPEG)])
    assert Attachment.objects.filter(owner_id=ok.message.pk, purpose="photo").count() == 2
    for refused_file in (
        SimpleUploadedFile("c.pdf", PDF),
        SimpleUploadedFile("x.png", b"not an image at all"),
    ):
        with pytest.raises(services.ValidationFailed) as refused:
            submit(photos=[refused_file])
        # The reason lists the photo types only, not every office format.
        assert "JPEG、PNG" in refused.value.message
        assert "docx" not in refused.value.message and "pdf" not in refused.value.message
    with pytest.raises(services.ValidationFailed):
        submit(photos=[SimpleUploadedFile(f"{i}.png", PNG) for i in range(4)])
    assert Message.objects.count() == 1


def test_a_message_with_a_listed_word_is_held_and_not_public_until_approved(
    client: Client, venue: Venue, submit: Callable[..., Any], public_staff: Any
) -> None:
    public_settings_set(venue.committee, held_words=["广告", "赌博"])
    result = submit(text="低价广告，请联系")
    message = result.message
    assert message.status == Message.Status.HELD
    assert message.deadline is None
    # Even a public reply cannot be given before approval: the workflow refuses.
    with pytest.raises(services.DomainError):
        services.message_reply(message=message, text="回复", public=True, actor=public_staff)
    assert "低价广告" not in client.get(page_url(venue)).content.decode()
    services.message_approve(message=message, actor=public_staff)
    message.refresh_from_db()
    assert message.status == Message.Status.RECEIVED and message.deadline is not None
    services.message_reply(message=message, text="已核实，谢谢", public=True, actor=public_staff)
    assert "低价广告" in client.get(page_url(venue)).content.decode()


def test_an_inactive_venue_takes_no_messages(client: Client, venue: Venue) -> None:
    Venue.objects.filter(pk=venue.pk).update(is_active=False)
    assert client.get(page_url(venue)).status_code == 404


def test_the_form_is_protected_by_csrf(venue: Venue) -> None:
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(
        page_url(venue), {"category": "suggestion", "text": "x", "form_token": "abc"}
    )
    assert response.status_code == 403
    assert Message.objects.count() == 0


def test_the_qr_poster_is_an_inline_svg_of_the_page_url(
    client_for: Callable[..., Client], venue: Venue, public_staff: Any
) -> None:
    response = client_for(public_staff).get(reverse("public:poster", args=[venue.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "<svg" in body and venue.studio.name in body
    assert page_url(venue) in body
    assert "http" not in body.split("<svg")[1].split("</svg>")[0].replace("http://www.w3.org", "")


def test_no_outside_service_is_referenced_on_the_public_page(client: Client, venue: Venue) -> None:
    body = client.get(page_url(venue)).content.decode()
    for needle in ("https://", "//cdn", "recaptcha", "googleapis"):
        assert needle not in body
    _ = io  # keep import for readers of the photo helpers
