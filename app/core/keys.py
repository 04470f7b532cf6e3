"""API keys as values: the scopes, the principal behind a key, making and hashing tokens.

Tokens are 256-bit random strings, so one SHA-256 (not a slow password hash) is enough to make
the stored value useless to a thief, and it keeps the check at a dict lookup: the keys live in
the terms snapshot, so authenticating never touches the store.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from typing import Final

TERMS_READ: Final = "terms:read"
INVOICES_WRITE: Final = "invoices:write"
INVOICES_READ: Final = "invoices:read"
SEGMENTS_WRITE: Final = "segments:write"
EXCEPTIONS_REQUEST: Final = "exceptions:request"
EXCEPTIONS_APPROVE: Final = "exceptions:approve"
REPORTS_READ: Final = "reports:read"
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
        ADMIN,
    }
)
TOKEN_PREFIX: Final = "tgk_"


@dataclass(frozen=True, slots=True)
class Principal:
    """The key behind a request: its name is what the audit log records."""

    name: str
    scopes: frozenset[str]

    def allows(self, scope: str | None) -> bool:
        return scope is None or scope in self.scopes or ADMIN in self.scopes


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_digest(token: str | bytes) -> bytes:
    raw = token.encode() if isinstance(token, str) else token
    return hashlib.sha256(raw).digest()
