"""The HTTP client deliveries go through: no redirects, no proxies, public addresses only.

Checking a webhook URL when it is set is not enough: a public name can later resolve to a
private address (or be made to, between a check and the connection). So the client's own
network backend resolves every host it connects to, refuses the connection if any address is
not global (unless TERMSGATE_WEBHOOK_ALLOW_PRIVATE=true), and connects to the address it
checked. TLS still verifies the certificate against the URL's host name.

httpx's timeout bounds each read and write, not the whole: a receiver trickling its answer a
byte at a time would hold a relay thread (and outlive the event's lease) as long as it liked.
So an attempt runs under a `deadline`, which every read and write of its connection keeps to.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import httpcore
import httpx

from app.core.config import Settings

USER_AGENT = "termsgate-webhooks/1"
SocketOption = httpcore.SOCKET_OPTION
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class AddressRefused(Exception):
    """The target resolves to an address deliveries may not reach."""


_attempt = threading.local()  # each relay sender thread makes one attempt at a time


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Everything this thread does on a webhook connection ends within `seconds` from now."""
    _attempt.ends_at = time.monotonic() + seconds
    try:
        yield
    finally:
        _attempt.ends_at = None


def _within(timeout: float | None, expired: type[Exception]) -> float | None:
    """The timeout for one network call, cut to what is left of the attempt's deadline."""
    ends_at: float | None = getattr(_attempt, "ends_at", None)
    if ends_at is None:
        return timeout
    left = ends_at - time.monotonic()
    if left <= 0:
        raise expired("the delivery attempt is out of time")
    return left if timeout is None else min(timeout, left)


class DeadlineStream(httpcore.NetworkStream):
    """A connection whose every read and write keeps to the current attempt's deadline."""

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _within(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _within(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        wait = _within(timeout, httpcore.ConnectTimeout)
        return DeadlineStream(self._inner.start_tls(ssl_context, server_hostname, wait))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class PublicOnlyBackend(httpcore.NetworkBackend):
    """httpcore's blocking backend, connecting only to global addresses it resolved itself."""

    def __init__(self, allow_private: bool) -> None:
        self.allow_private = allow_private
        self._inner = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[SocketOption] | None = None,
    ) -> httpcore.NetworkStream:
        timeout = _within(timeout, httpcore.ConnectTimeout)
        if self.allow_private:
            return DeadlineStream(
                self._inner.connect_tcp(host, port, timeout, local_address, socket_options)
            )
        addresses = resolve(host, port)
        refused = [address for address in addresses if not address.is_global]
        if refused:
            raise AddressRefused(f"{host} resolves to a non-global address ({refused[0]})")
        failure: Exception = AddressRefused(f"{host} does not resolve")
        for address in addresses:
            try:
                return DeadlineStream(
                    self._inner.connect_tcp(
                        str(address), port, timeout, local_address, socket_options
                    )
                )
            except httpcore.ConnectError as error:
                failure = error
        raise failure

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[SocketOption] | None = None,
    ) -> httpcore.NetworkStream:
        raise AddressRefused("unix sockets are not webhook targets")

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def resolve(host: str, port: int) -> list[Address]:
    """Every address `host` resolves to, in the resolver's order, without duplicates."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise httpcore.ConnectError(f"cannot resolve {host}: {type(error).__name__}") from None
    addresses: list[Address] = []
    for _family, _type, _proto, _name, sockaddr in found:
        address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if address not in addresses:
            addresses.append(address)
    return addresses


class WebhookTransport(httpx.HTTPTransport):
    """httpx's transport over a connection pool that uses `PublicOnlyBackend`."""

    def __init__(self, limits: httpx.Limits, allow_private: bool) -> None:
        super().__init__(limits=limits, trust_env=False)
        # httpx offers no public way to choose the network backend; swap the pool it made.
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=PublicOnlyBackend(allow_private),
        )


def build_client(settings: Settings) -> httpx.Client:
    """One client per relay, shared by its delivery threads (httpx clients are thread-safe)."""
    limits = httpx.Limits(
        max_connections=settings.relay_concurrency,
        max_keepalive_connections=settings.relay_concurrency,
        keepalive_expiry=5.0,
    )
    return httpx.Client(
        transport=WebhookTransport(limits, settings.webhook_allow_private),
        timeout=httpx.Timeout(settings.webhook_timeout_seconds),
        follow_redirects=False,
        trust_env=False,
        headers={"user-agent": USER_AGENT},
    )
