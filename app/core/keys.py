"""API keys as values: the scopes, the principal behind a key, making and hashing tokens.

Tokens are 256-bit random strings, so one SHA-256 (not a slow password hash) is enough to make
the stored value useless to a thief, and it keeps the check at a dict lookup: the keys live in
the terms snapshot, so authenticating never touches the store.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final, Protocol

from app.core.errors import Forbidden, StoreUnavailable, Unauthenticated

TERMS_READ: Final = "terms:read"
INVOICES_WRITE: Final = "invoices:write"
INVOICES_READ: Final = "invoices:read"
SEGMENTS_WRITE: Final = "segments:write"
EXCEPTIONS_REQUEST: Final = "exceptions:request"
EXCEPTIONS_APPROVE: Final = "exceptions:approve"
REPORTS_READ: Final = "reports:read"
COLLECTIONS_WRITE: Final = "collections:write"
ADMIN: Final = "admin"
SCOPES: Final = frozenset(
    {
        TERMS_READ,
        INVOICES_WRITE,
        INVOICES_READ,
        SEGMENTS_WRITE,
        EXCEPTIONS_REQUEST,
        EXCEPTIONS_APPROVE,
        REPORTS_READ,
        COLLECTIONS_WRITE,
        ADMIN,
    }
)
TOKEN_PREFIX: Final = "tgk_"
# What `new_token` hands out: the prefix and 32 random bytes, URL-safe base64.
TOKEN_SHAPE: Final = re.compile(re.escape(TOKEN_PREFIX.encode()) + rb"[A-Za-z0-9_-]{43}")


@dataclass(frozen=True, slots=True)
class Principal:
    """The key behind a request: its name is what the audit log records; its owner is the
    person it acts for (the key's name when none was given), whom four-eyes rules compare."""

    name: str
    scopes: frozenset[str]
    owner: str = ""

    def __post_init__(self) -> None:
        if not self.owner:
            object.__setattr__(self, "owner", self.name)

    def allows(self, scope: str | None) -> bool:
        return scope is None or scope in self.scopes or ADMIN in self.scopes


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_digest(token: str | bytes) -> bytes:
    raw = token.encode() if isinstance(token, str) else token
    return hashlib.sha256(raw).digest()


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


class Admission(Protocol):
    """A scope's rate limit: draws from the key's bucket, or raises RateLimited."""

    def admit(self, key_name: str) -> None: ...
