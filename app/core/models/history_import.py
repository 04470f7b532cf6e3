"""History imports: one row per file loaded with `termsgate import-history`."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.models.base import Base, UTCDateTime


class HistoryImport(Base):
    __tablename__ = "history_imports"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    file_name: Mapped[str] = mapped_column(String(500))
    file_sha256: Mapped[str] = mapped_column(String(64), index=True)
    rows: Mapped[int] = mapped_column(BigInteger)
    invoices_added: Mapped[int] = mapped_column(BigInteger)
    payments_added: Mapped[int] = mapped_column(BigInteger)
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime)
    imported_by: Mapped[str] = mapped_column(String(64))
    # How the file was read (--column, --set, --date-format); NULL: as it is.
    reading: Mapped[str | None] = mapped_column(String(2000))
