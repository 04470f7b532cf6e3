"""Which webhook URLs termsgate will post to: public HTTPS endpoints, unless told otherwise."""

from __future__ import annotations

import ipaddress
import re
import socket
from urllib.parse import urlsplit

from app.core.errors import Invalid

# Spellings an HTTP client's resolver reads as IPv4 though ipaddress does not: 127.1, 0x7f000001.
NUMERIC_HOST = re.compile(r"[0-9A-Fa-fXx.]+")


def check_webhook_url(url: str, allow_private: bool) -> str:
    """The URL if acceptable; 422 for a non-HTTPS, credential-bearing or internal target, or
    one with spaces or control characters (which no client sends as they are).

    Private, loopback, link-local and other non-global addresses are refused unless
    TERMSGATE_WEBHOOK_ALLOW_PRIVATE=true (which also admits plain http, for local receivers).
    """
    if not url.isprintable() or " " in url:
        _refuse(url, "webhook_url may hold no spaces or control characters")
    parts = urlsplit(url)
    allowed_schemes = {"https", "http"} if allow_private else {"https"}
    if parts.scheme not in allowed_schemes:
        _refuse(url, "webhook_url must be an https:// URL", hint=True)
    if not parts.hostname or parts.username or parts.password:
        _refuse(url, "webhook_url needs a host and no user or password")
    try:
        _ = parts.port
    except ValueError:
        _refuse(url, "webhook_url has an invalid port")
    if allow_private:
        return url
    host = (parts.hostname or "").rstrip(".")
    if host == "localhost" or host.endswith((".localhost", ".local", ".internal")):
        _refuse(url, "webhook_url may not point at a local or internal host", hint=True)
    address = _address(host)
    if address is None:
        return url
    if not address.is_global:
        _refuse(
            url, "webhook_url may not point at a private, loopback or link-local address", hint=True
        )
    return url


def _address(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The IP address a host names literally, in any notation a resolver accepts; else None."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if not NUMERIC_HOST.fullmatch(host):
        return None
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError:
        return None


# Said where a newcomer's first webhook (a receiver on this machine) is refused.
LOCAL_HINT = (
    "; for a receiver on a private network or this machine, start termsgate with "
    "TERMSGATE_WEBHOOK_ALLOW_PRIVATE=true"
)


def _refuse(url: str, message: str, *, hint: bool = False) -> None:
    detail = f"{message}: {url!r}{LOCAL_HINT if hint else ''}."
    raise Invalid(detail, errors=[{"loc": ["body", "webhook_url"], "msg": message}])
