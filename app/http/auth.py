"""Who is calling, and may they do this: the bearer token checked against the process's keys,
the scope against the key's, the request against the key's rate limit.

They run on the event loop: a known key costs a dict read. A token the snapshot does not know is
asked of the store before it is refused (a key made since the snapshot loaded), in a worker
thread, so the wait, bounded and shared (app/terms/recheck.py), never holds the event loop."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from app.core.errors import Forbidden, Unauthenticated
from app.core.keys import Principal, authenticate, authorize
from app.http.state import state_of


def require(scope: str | None) -> Callable[[Request], Awaitable[Principal]]:
    """A FastAPI dependency: the request's principal, holding `scope` (None: any valid key),
    within its rate limit for that scope. Answered on the event loop (a key the snapshot knows
    costs a dict read and a hash), so it costs a request no hop to a worker thread."""

    async def dependency(request: Request) -> Principal:
        principal = await caller(request)
        authorize(principal, scope)
        _admit(request, principal, scope)
        return principal

    return dependency


def require_any(scopes: tuple[str, ...]) -> Callable[[Request], Awaitable[Principal]]:
    """A FastAPI dependency: the request's principal, holding at least one of `scopes`, within
    its rate limit for the first of them it holds."""

    async def dependency(request: Request) -> Principal:
        principal = await caller(request)
        held = [scope for scope in scopes if principal.allows(scope)]
        if not held:
            raise Forbidden(f"This key needs one of the scopes {', '.join(map(repr, scopes))}.")
        _admit(request, principal, held[0])
        return principal

    return dependency


async def caller(request: Request) -> Principal:
    """The principal behind the request's bearer token, or 401 (503 before any keys load).
    A key the snapshot does not know is asked of the store, in a worker thread."""
    header = request.headers.get("authorization")
    authorization = header.encode("latin-1") if header else None
    try:
        return authenticate(authorization, keys_of(request))
    except Unauthenticated:
        newer = await run_in_threadpool(state_of(request).terms.recheck, authorization)
        if newer is None:
            raise
        return newer


def _admit(request: Request, principal: Principal, scope: str | None) -> None:
    """Draw from the key's bucket for the scope; only a key already known and allowed does."""
    state_of(request).rate_limits.admit(principal.name, scope)


def keys_of(request: Request) -> Mapping[bytes, Principal] | None:
    """The keys a request is checked against; None before the process has loaded any."""
    return state_of(request).terms.principals()
