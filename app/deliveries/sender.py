"""One delivery attempt: sign the event's stored bytes, POST them, read how it went.

Redirects are not followed (a 3xx is a failure), a 410 disables the webhook, and the target is
checked again here, since the rule may have changed since the URL was set. The client's timeout
(TERMSGATE_WEBHOOK_TIMEOUT_SECONDS) bounds the attempt as a whole, not only each read.
"""

from __future__ import annotations

import time
from urllib.parse import urlsplit

import httpx
from opentelemetry import trace

from app.core import tracing
from app.core.clock import Clock
from app.core.errors import Invalid
from app.deliveries.backoff import parse_retry_after
from app.deliveries.outcomes import Claim, Outcome, Result
from app.deliveries.signing import webhook_headers
from app.deliveries.transport import AddressRefused, deadline
from app.workflows.service import check_webhook_url

# Enough of an answer's body to reuse the connection after a short one; nothing is kept.
DRAIN_BYTES = 64 * 1024
DEFAULT_SECONDS = 10.0  # for a client built without a read timeout


def attempt(client: httpx.Client, claim: Claim, allow_private: bool, clock: Clock) -> Outcome:
    """Try the claim once; never raises for anything the receiver or the network does.

    The POST carries the trace context of the request that wrote the event (`traceparent`):
    as it was stored with tracing off, else naming this attempt's own span under it."""
    if not tracing.enabled:
        return _attempt(client, claim, allow_private, clock, claim.traceparent)
    host = urlsplit(claim.url).hostname if claim.url else None
    attributes: dict[str, str | int] = {
        "http.request.method": "POST",
        "server.address": host or "",
        "termsgate.event_id": claim.event_id,
        "termsgate.workflow": claim.workflow_key,
        "termsgate.delivery.attempt": claim.attempt,
    }
    with tracing.client_span("POST webhook", claim.traceparent, attributes) as span:
        outcome = _attempt(client, claim, allow_private, clock, tracing.traceparent())
        span.set_attribute("termsgate.delivery.result", outcome.result.value)
        if outcome.status is not None:
            span.set_attribute("http.response.status_code", outcome.status)
        if outcome.result is not Result.DELIVERED:
            span.set_status(trace.Status(trace.StatusCode.ERROR, outcome.error))
        return outcome


def _attempt(
    client: httpx.Client, claim: Claim, allow_private: bool, clock: Clock, traceparent: str | None
) -> Outcome:
    started = time.perf_counter()
    if claim.undeliverable is not None or claim.url is None:
        return Outcome(claim, Result.UNDELIVERABLE, error=claim.undeliverable or "no webhook_url")
    refusal = _refusal(claim.url, allow_private)
    if refusal is not None:
        return Outcome(claim, Result.UNDELIVERABLE, error=f"refused: {refusal}")
    body = claim.body.encode()
    now = clock.now()
    headers = webhook_headers(claim.secrets, claim.event_id, int(now.timestamp()), body)
    headers["content-type"] = "application/json"
    if traceparent is not None:
        headers["traceparent"] = traceparent
    try:
        with (
            deadline(client.timeout.read or DEFAULT_SECONDS),
            client.stream("POST", claim.url, content=body, headers=headers) as response,
        ):
            _drain(response)
    except AddressRefused as error:
        return Outcome(claim, Result.UNDELIVERABLE, error=f"refused: {error}")
    except httpx.TimeoutException as error:
        return _failed(claim, started, f"timed out ({type(error).__name__})")
    except httpx.ConnectError as error:
        return _failed(claim, started, f"connection failed: {str(error)[:120]}")
    except httpx.HTTPError as error:
        return _failed(claim, started, f"transport error ({type(error).__name__})")
    return _answered(claim, response, started, clock)


def _answered(claim: Claim, response: httpx.Response, started: float, clock: Clock) -> Outcome:
    status = response.status_code
    elapsed_ms = _ms_since(started)
    if 200 <= status < 300:
        return Outcome(claim, Result.DELIVERED, status=status, elapsed_ms=elapsed_ms)
    if status == 410:
        error = "receiver answered 410 Gone: webhook disabled until its URL is set again"
        return Outcome(claim, Result.GONE, status=status, error=error, elapsed_ms=elapsed_ms)
    if 300 <= status < 400:
        error = f"HTTP {status}: redirects are not followed"
    else:
        error = f"HTTP {status}"
    retry_after = parse_retry_after(response.headers.get("retry-after"), clock.now())
    return Outcome(claim, Result.FAILED, status, error, retry_after, elapsed_ms)


def _failed(claim: Claim, started: float, error: str) -> Outcome:
    return Outcome(claim, Result.FAILED, error=error, elapsed_ms=_ms_since(started))


def _refusal(url: str, allow_private: bool) -> str | None:
    try:
        check_webhook_url(url, allow_private)
    except Invalid as error:
        return str(error.errors[0]["msg"]) if error.errors else "webhook_url refused"
    except ValueError:
        return "webhook_url is not a valid URL"
    return None


def _drain(response: httpx.Response) -> None:
    """Read a little of the body (a short one, whole, keeps the connection reusable).

    The status has arrived by now and decides; a body that stalls or breaks changes nothing.
    """
    seen = 0
    try:
        for chunk in response.iter_raw():
            seen += len(chunk)
            if seen > DRAIN_BYTES:
                return
    except httpx.HTTPError:
        return


def _ms_since(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)
