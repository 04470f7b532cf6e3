"""Who is calling, and may they do this: the bearer token checked against the process's keys,
the scope against the key's, the request against the key's rate limit."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Protocol

from starlette.requests import Request

from app.core.errors import Forbidden, StoreUnavailable, Unauthenticated
from app.core.keys import Principal, token_digest


def authenticate(authorization: bytes | None, keys: Mapping[bytes, Principal] | None) -> Principal:
    """The principal for an `Authorization: Bearer <token>` header value, or 401.

    `keys` is None before this process has loaded any: a bearer token then cannot be judged,
    and the answer is 503 (not ready, retry), not a 401 for a key that may well be valid."""
    if not authorization:
        raise Unauthenticated("An API key is required: send 'Authorization: Bearer <token>'.")
    scheme, _, token = authorization.partition(b" ")
    if scheme.lower() != b"bearer" or not token.strip():
        raise Unauthenticated("The Authorization header must be 'Bearer <token>'.")
    if keys is None:
        raise StoreUnavailable(
            "This process has not loaded its keys from the store yet; nothing was done."
        )
    principal = keys.get(token_digest(token.strip()))
    if principal is None:
        raise Unauthenticated("The API key is unknown or revoked.")
    return principal


def authorize(principal: Principal, scope: str | None) -> Principal:
    if not principal.allows(scope):
        raise Forbidden(f"This key lacks the scope '{scope}'.")
    return principal


# The keys a request is checked against; None before the process has loaded any.
KeysOf = Callable[[Request], Mapping[bytes, Principal] | None]


class Admission(Protocol):
    """The process's rate limits (app/ratelimits.py, kept in the app's state as `rate_limits`)."""

    def admit(self, key_name: str, scope: str | None) -> None: ...


def require(scope: str | None, keys_of: KeysOf) -> Callable[[Request], Principal]:
    """A FastAPI dependency: the request's principal, holding `scope` (None: any valid key),
    within its rate limit for that scope."""

    def dependency(request: Request) -> Principal:
        header = request.headers.get("authorization")
        principal = authenticate(header.encode("latin-1") if header else None, keys_of(request))
        authorize(principal, scope)
        _admit(request, principal, scope)
        return principal

    return dependency


def require_any(scopes: tuple[str, ...], keys_of: KeysOf) -> Callable[[Request], Principal]:
    """A FastAPI dependency: the request's principal, holding at least one of `scopes`, within
    its rate limit for the first of them it holds."""

    def dependency(request: Request) -> Principal:
        header = request.headers.get("authorization")
        principal = authenticate(header.encode("latin-1") if header else None, keys_of(request))
        held = [scope for scope in scopes if principal.allows(scope)]
        if not held:
            raise Forbidden(f"This key needs one of the scopes {', '.join(map(repr, scopes))}.")
        _admit(request, principal, held[0])
        return principal

    return dependency


def _admit(request: Request, principal: Principal, scope: str | None) -> None:
    """Draw from the key's bucket for the scope; only a key already known and allowed does."""
    limits: Admission | None = getattr(request.app.state, "rate_limits", None)
    if limits is not None:
        limits.admit(principal.name, scope)
