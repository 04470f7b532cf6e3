"""Console sessions in the store: sign-in makes one, each page finds it, sign-out ends it.

The cookie carries a random token; the store keeps its SHA-256, the key's digest (the terms
snapshot's principals decide what the key may do, so a revoked key ends the session), a CSRF
token for the session's forms, and a server-side expiry.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from app.core.keys import Principal, token_digest
from app.core.models import ConsoleSession


@dataclass(frozen=True, slots=True)
class SignedIn:
    """Who a console request acts for, and the CSRF token its forms must carry."""

    principal: Principal
    csrf_token: str
    token_sha256: bytes
    expires_at: datetime


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def sign_in(
    session: Session,
    api_key: str,
    principals: Mapping[bytes, Principal],
    *,
    now: datetime,
    hours: float,
) -> tuple[str, SignedIn] | None:
    """A new session for a live key (None for an unknown or revoked one): the cookie's token,
    and who it signs in. Sessions past their end are cleared on the way."""
    key_sha256 = token_digest(api_key.strip())
    principal = principals.get(key_sha256)
    if principal is None:
        return None
    token = new_secret()
    row = ConsoleSession(
        token_sha256=token_digest(token),
        key_sha256=key_sha256,
        key_name=principal.name,
        csrf_token=new_secret(),
        created_at=now,
        expires_at=now + timedelta(hours=hours),
        signed_out_at=None,
    )
    session.execute(delete(ConsoleSession).where(ConsoleSession.expires_at < now))
    session.add(row)
    return token, SignedIn(principal, row.csrf_token, row.token_sha256, row.expires_at)


def find(
    session: Session, token: str, principals: Mapping[bytes, Principal], *, now: datetime
) -> SignedIn | None:
    """The session behind a cookie's token, if it is live and its key still is."""
    row = session.scalars(
        select(ConsoleSession).where(ConsoleSession.token_sha256 == token_digest(token))
    ).one_or_none()
    if row is None or row.signed_out_at is not None or row.expires_at <= now:
        return None
    principal = principals.get(row.key_sha256)
    if principal is None:  # the key was revoked (or is gone): so is the session
        return None
    return SignedIn(principal, row.csrf_token, row.token_sha256, row.expires_at)


def sign_out(session: Session, token_sha256: bytes, *, now: datetime) -> None:
    """End the session on the server: the cookie's token signs no one in again (the row stays,
    with its sign-out time, until a later sign-in clears sessions past their end)."""
    session.execute(
        update(ConsoleSession)
        .where(ConsoleSession.token_sha256 == token_sha256)
        .values(signed_out_at=now, expires_at=now)
    )
