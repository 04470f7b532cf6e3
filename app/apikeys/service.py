"""Creating, listing and revoking keys."""

from __future__ import annotations

import re

from sqlalchemy.orm import Session

from app.apikeys import repository
from app.apikeys.schemas import KeyListed
from app.audit import service as audit
from app.core.clock import Clock
from app.core.errors import Conflict, Invalid, NotFound
from app.core.keys import SCOPES, new_token, token_digest
from app.core.models import ApiKey

KEY_NAME = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
# A person: a login, or an email address.
OWNER = re.compile(r"^[A-Za-z0-9._@+-]{1,64}$")


def create(
    session: Session,
    name: str,
    *,
    scopes: list[str],
    actor: str,
    clock: Clock,
    owner: str | None = None,
) -> str:
    """Store a new key's hash; the token is returned once and never stored. `owner` is the
    person the key acts for (default: the key's name)."""
    if not KEY_NAME.fullmatch(name):
        raise Invalid("A key name is 1 to 64 characters from A-Z a-z 0-9 . _ -")
    owner = name if owner is None else owner
    if not OWNER.fullmatch(owner):
        raise Invalid("An owner is 1 to 64 characters from A-Z a-z 0-9 . _ @ + -")
    unknown = sorted(set(scopes) - SCOPES)
    if not scopes or unknown:
        raise Invalid(f"Unknown scopes {unknown}; choose from {sorted(SCOPES)}.")
    if repository.named(session, name) is not None:
        raise Conflict(f"A key named '{name}' exists (names are never reused).")
    token = new_token()
    now = clock.now()
    session.add(
        ApiKey(
            name=name,
            owner=owner,
            token_sha256=token_digest(token).hex(),
            scopes=sorted(set(scopes)),
            created_at=now,
            revoked_at=None,
        )
    )
    session.flush()
    audit.record(
        session,
        audit.Entry(
            actor=actor,
            action="apikey.created",
            entity_type="api_key",
            entity_id=name,
            occurred_at=now,
            after={"name": name, "owner": owner, "scopes": sorted(set(scopes))},
        ),
    )
    return token


def listed(session: Session) -> list[KeyListed]:
    """Every key, live and revoked, oldest first: what it is, never its token or hash."""
    return [
        KeyListed(key.name, key.owner, tuple(key.scopes), key.created_at, key.revoked_at)
        for key in repository.every_key(session)
    ]


def revoke(session: Session, name: str, *, actor: str, clock: Clock) -> None:
    key = repository.named(session, name)
    if key is None or key.revoked_at is not None:
        raise NotFound(f"No live key named '{name}'.")
    key.revoked_at = clock.now()
    audit.record(
        session,
        audit.Entry(
            actor=actor,
            action="apikey.revoked",
            entity_type="api_key",
            entity_id=name,
            occurred_at=key.revoked_at,
            before={"name": name, "scopes": key.scopes},
        ),
    )
