from __future__ import annotations

import ipaddress
import socket
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
from django.test import Client

from lvzhi.accounts.models import User
from lvzhi.api import services, webhook_targets
from lvzhi.duties.tests.factories import make_member
from lvzhi.org.models import Committee, Member


@pytest.fixture
def seat(committee: Committee) -> Member:
    """A member in office in the current term, with a login."""
    return make_member(committee, username="weiyuan_api")


@pytest.fixture
def seat_user(seat: Member) -> User:
    user = seat.person.user
    assert user is not None
    return user


@pytest.fixture
def make_token(committee: Committee) -> Callable[..., str]:
    def make(user: User, scope: str = "write", **kwargs: Any) -> str:
        kwargs.setdefault("committee", committee)
        new = services.api_token_create(
            actor=user, name="手机", scope=scope, days=kwargs.pop("days", 30), **kwargs
        )
        return new.token

    return make


@pytest.fixture
def token_client() -> Callable[[str], Client]:
    def make(token: str) -> Client:
        return Client(HTTP_AUTHORIZATION=f"Bearer {token}")

    return make


# --- Webhooks: a DNS table instead of a DNS server, receivers on loopback --------


class FakeDNS(dict[str, list[str]]):
    """Host name → its addresses; ``asked`` lists the names looked up."""

    def __init__(self) -> None:
        super().__init__({"oa.example.cn": ["10.20.30.40"], "oa.cn": ["192.168.10.5"]})
        self.asked: list[str] = []

    def resolve(self, host: str, port: int) -> list[Any]:
        self.asked.append(host)
        if host not in self:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [ipaddress.ip_address(a) for a in self[host]]


@pytest.fixture
def dns(monkeypatch: pytest.MonkeyPatch) -> FakeDNS:
    """The names of the table; and no delivery leaves this machine (an
    intranet address of the table is refused as if unreachable)."""
    table = FakeDNS()
    monkeypatch.setattr(webhook_targets, "resolve", table.resolve)
    connect = socket.create_connection

    def loopback_only(address: tuple[str, int], *args: Any, **kwargs: Any) -> socket.socket:
        if not ipaddress.ip_address(address[0]).is_loopback:
            raise ConnectionRefusedError(f"tests never connect to {address[0]}")
        return connect(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", loopback_only)
    return table


class Receiver:
    """An HTTP server on 127.0.0.1 that answers with the queued statuses (then 200)."""

    def __init__(self, statuses: list[int]) -> None:
        self.statuses = statuses
        self.received: list[tuple[dict[str, str], bytes]] = []
        self.redirect_to = ""
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((dict(self.headers), body))
                self.send_response(receiver.statuses.pop(0) if receiver.statuses else 200)
                if receiver.redirect_to:
                    self.send_header("Location", receiver.redirect_to)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"


@pytest.fixture
def receiver_factory(settings: Any) -> Iterator[Any]:
    """Receivers on 127.0.0.1: this server itself, so loopback is allowed here."""
    settings.WEBHOOK_ALLOW_LOOPBACK = True
    started: list[Receiver] = []

    def start(statuses: list[int] | None = None) -> Receiver:
        receiver = Receiver(statuses or [])
        threading.Thread(target=receiver.server.serve_forever, daemon=True).start()
        started.append(receiver)
        return receiver

    yield start
    for receiver in started:
        receiver.server.shutdown()
        receiver.server.server_close()
