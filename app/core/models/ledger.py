"""The change feed of money moving, and the orders checkout granted net terms still holding credit.

Routes, payments and checkout's open orders change no one's terms, so they do not bump the
store version; what they change reaches every process's terms cache through `ledger_changes`,
read by sequence (rows are written under the late lock, so sequence order is commit order).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.models.base import Base, BigIntId, UTCDateTime


class LedgerChange(Base):
    """One customer's exposure as a transaction left it: its open receivables in a currency
    (`owed`, absolute), or one of its open orders held (`order_amount`) or let go (None).
    A row with no customer tells every process to reload all exposure (a history import)."""

    __tablename__ = "ledger_changes"
    __table_args__ = (Index("ix_ledger_changes_at", "at"),)

    seq: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    customer_id: Mapped[str | None] = mapped_column(String(128))
    currency: Mapped[str | None] = mapped_column(String(3))
    owed: Mapped[int | None] = mapped_column(BigInteger)
    order_id: Mapped[str | None] = mapped_column(String(128))
    decision_id: Mapped[str | None] = mapped_column(String(40))
    order_amount: Mapped[int | None] = mapped_column(BigInteger)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The earliest day paid among the payments this change records (the cash forecast's kept
    # fits: app/forecasts/kept.py); None when it records none.
    paid_on: Mapped[date | None] = mapped_column(Date)


class OpenOrder(Base):
    """An order checkout granted net terms, counted against the credit limit until it is
    invoiced (an invoice with its order_id and customer), released, or expires."""

    __tablename__ = "open_orders"
    __table_args__ = (Index("ix_open_orders_expires_at", "expires_at"),)

    customer_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    order_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    decision_id: Mapped[str] = mapped_column(String(40))
    currency: Mapped[str] = mapped_column(String(3))
    amount: Mapped[int] = mapped_column(BigInteger)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
