"""Which webhook URLs termsgate will post to: public HTTPS endpoints, unless told otherwise."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from app.errors import Invalid


def check_webhook_url(url: str, allow_private: bool) -> str:
    """The URL if acceptable; 422 for a non-HTTPS, credential-bearing or internal target.

    Private, loopback, link-local and other non-global addresses are refused unless
    TERMSGATE_WEBHOOK_ALLOW_PRIVATE=true (which also admits plain http, for local receivers).
    """
    parts = urlsplit(url)
    allowed_schemes = {"https", "http"} if allow_private else {"https"}
    if parts.scheme not in allowed_schemes:
        _refuse(url, "webhook_url must be an https:// URL")
    if not parts.hostname or parts.username or parts.password:
        _refuse(url, "webhook_url needs a host and no user or password")
    try:
        _ = parts.port
    except ValueError:
        _refuse(url, "webhook_url has an invalid port")
    if allow_private:
        return url
    host = parts.hostname or ""
    if host == "localhost" or host.endswith((".localhost", ".local", ".internal")):
        _refuse(url, "webhook_url may not point at a local or internal host")
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return url
    if not address.is_global:
        _refuse(url, "webhook_url may not point at a private, loopback or link-local address")
    return url


def _refuse(url: str, message: str) -> None:
    raise Invalid(f"{message}: {url!r}.", errors=[{"loc": ["body", "webhook_url"], "msg": message}])
