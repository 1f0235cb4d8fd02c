"""Where a unit's webhook may point, and the one POST to it (the SSRF guard).

A webhook makes this server send requests to an address a user typed, so the
address is checked when it is registered and again before every delivery,
after the host name is resolved: the request then goes to the very address
that was checked (the connection is pinned to it), so a name that resolves
elsewhere a second later (DNS rebinding) cannot slip past. Refused: this
server itself (loopback; allowed only with ``WEBHOOK_ALLOW_LOOPBACK``, for a
test's receiver), link-local addresses (169.254.0.0/16 with the cloud
metadata service, fe80::/10) and the other metadata services, multicast, the
unspecified address (0.0.0.0, ::) and reserved ranges. Private ranges
(10/8, 172.16/12, 192.168/16) are allowed: the units' office systems live
on the government intranet (政务内网). Only http and https, no user name or
password in the address, and redirects are never followed."""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext_lazy

from lvzhi.core.errors import ValidationFailed

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
MAX_LENGTH = 500
# Cloud metadata services outside 169.254.0.0/16: Alibaba Cloud's, AWS's over IPv6.
METADATA = frozenset(ipaddress.ip_address(a) for a in ("100.100.100.200", "fd00:ec2::254"))
# "This network": 0.0.0.0 itself reaches this server on Linux.
THIS_NETWORK = ipaddress.ip_network("0.0.0.0/8")

# Why an address is refused (the kinds name the address in REFUSED_ADDRESS).
BAD_ADDRESS = gettext_lazy("Give an http or https address of at most 500 characters.")
CREDENTIALS = gettext_lazy(
    "Leave the user name and password out of the address: the secret signs every call."
)
UNKNOWN_HOST = gettext_lazy("The host name %(host)s cannot be found; check the address.")
REFUSED_ADDRESS = gettext_lazy(
    "The address leads to %(kind)s (%(ip)s): a webhook may only call the unit's own system."
)
LOOPBACK = gettext_lazy("this server itself (loopback)")
METADATA_SERVICE = gettext_lazy("a cloud metadata service")
LINK_LOCAL = gettext_lazy("a link-local address (such as the cloud metadata service)")
MULTICAST = gettext_lazy("a multicast address")
UNSPECIFIED = gettext_lazy("an unspecified address")
RESERVED = gettext_lazy("a reserved address")


class TargetRefused(ValidationFailed):
    """The address is not one a webhook may call; ``message`` says why."""


@dataclass(frozen=True)
class Target:
    """A checked address, split."""

    scheme: str
    host: str
    port: int
    path: str


def target_of(url: str) -> Target:
    """The address split, or refused: not http(s), too long, no host, a bad
    port, or a user name or password in it."""
    parts = urlsplit(url)
    bad = TargetRefused(str(BAD_ADDRESS))
    if len(url) > MAX_LENGTH or parts.scheme not in ("http", "https") or not parts.hostname:
        raise bad
    if parts.username is not None or parts.password is not None:
        raise TargetRefused(str(CREDENTIALS))
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise bad from None
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(parts.scheme, parts.hostname, port, path)


def address_refusal(ip: IPAddress) -> str | None:
    """Why a webhook may not call ``ip`` (what kind of address it is), or None."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        allowed = getattr(settings, "WEBHOOK_ALLOW_LOOPBACK", False)
        return None if allowed else str(LOOPBACK)
    if ip in METADATA:
        return str(METADATA_SERVICE)
    if ip.is_link_local:
        return str(LINK_LOCAL)
    if ip.is_multicast:
        return str(MULTICAST)
    if ip.is_unspecified or (isinstance(ip, ipaddress.IPv4Address) and ip in THIS_NETWORK):
        return str(UNSPECIFIED)
    if ip.is_reserved or (isinstance(ip, ipaddress.IPv6Address) and ip.is_site_local):
        return str(RESERVED)
    return None


def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address of ``host`` (tests replace this: they never ask a DNS server)."""
    found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [ipaddress.ip_address(str(row[4][0])) for row in found]


def vetted_addresses(target: Target) -> list[IPAddress]:
    """The addresses to connect to, each of them allowed; refused when the name
    is unknown or any address it has is refused (a name that also points at a
    refused address is refused as a whole)."""
    try:
        addresses = [ipaddress.ip_address(target.host)]
    except ValueError:
        try:
            addresses = list(dict.fromkeys(resolve(target.host, target.port)))
        except (OSError, UnicodeError, ValueError):
            addresses = []
    if not addresses:
        raise TargetRefused(str(UNKNOWN_HOST) % {"host": target.host})
    for ip in addresses:
        kind = address_refusal(ip)
        if kind:
            raise TargetRefused(str(REFUSED_ADDRESS) % {"kind": kind, "ip": ip})
    return addresses


def url_check(url: str) -> str:
    """The address, stripped, if a webhook may call it (at registration)."""
    url = url.strip()
    vetted_addresses(target_of(url))
    return url


class _PinnedHTTP(http.client.HTTPConnection):
    """Connects to the vetted address; the Host header keeps the name."""

    def __init__(self, target: Target, ip: IPAddress, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self.ip = ip

    def connect(self) -> None:
        self.sock = socket.create_connection((str(self.ip), self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    """The same over TLS; the certificate is checked against the host name."""

    def __init__(self, target: Target, ip: IPAddress, timeout: float) -> None:
        self.tls = ssl.create_default_context()
        super().__init__(target.host, target.port, timeout=timeout, context=self.tls)
        self.ip = ip

    def connect(self) -> None:
        sock = socket.create_connection((str(self.ip), self.port), self.timeout)
        self.sock = self.tls.wrap_socket(sock, server_hostname=self.host)


def post(url: str, body: bytes, headers: dict[str, str], *, timeout: float) -> int:
    """POST to ``url`` once, checked again now (TargetRefused), at the address
    just checked; the status of the answer (a redirect is an answer, not
    followed). OSError when no address answers."""
    target = target_of(url)
    addresses = vetted_addresses(target)
    kind = _PinnedHTTPS if target.scheme == "https" else _PinnedHTTP
    refused: OSError = OSError("no address")
    for ip in addresses:
        connection = kind(target, ip, timeout)
        try:
            try:
                connection.connect()
            except OSError as error:  # the next address, as a browser would
                refused = error
                continue
            # Sent once: a failure from here on is not retried at another address.
            connection.request("POST", target.path, body=body, headers=headers)
            return int(connection.getresponse().status)
        finally:
            connection.close()
    raise refused
