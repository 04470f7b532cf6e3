"""The api_keys rows."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.models import ApiKey


def named(session: Session, name: str) -> ApiKey | None:
    return session.get(ApiKey, name)


def every_key(session: Session) -> list[ApiKey]:
    """Live and revoked, oldest first."""
    return list(session.scalars(select(ApiKey).order_by(ApiKey.created_at, ApiKey.name)))
