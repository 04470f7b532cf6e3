"""Finance console sessions: a signed-in person's API key, held server-side behind a cookie.

Only the SHA-256 of the session token is stored (as with API keys), so a copy of the table signs
no one in; the key is kept as its digest, and a revoked key ends every session made with it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.models.base import Base, UTCDateTime


class ConsoleSession(Base):
    __tablename__ = "console_sessions"

    token_sha256: Mapped[bytes] = mapped_column(LargeBinary(32), primary_key=True)
    key_sha256: Mapped[bytes] = mapped_column(LargeBinary(32))
    # The key's name at sign-in, for the operator reading the table; the key decides the rest.
    key_name: Mapped[str] = mapped_column(String(64))
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    signed_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
