"""The cash forecast made each night, week by week, kept to compare with what was then paid."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.models.base import Base, UTCDateTime


class CashForecastWeek(Base):
    """Week `week` (from 0: made_on + 1 + 7k to made_on + 7k + 7) of the forecast made on
    `made_on` in one currency; week -1 is `later`. Made again the same day, it is replaced."""

    __tablename__ = "cash_forecast_weeks"

    made_on: Mapped[date] = mapped_column(Date, primary_key=True)
    currency: Mapped[str] = mapped_column(String(3), primary_key=True)
    week: Mapped[int] = mapped_column(Integer, primary_key=True)
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    expected: Mapped[int] = mapped_column(BigInteger)
    open_receivables: Mapped[int] = mapped_column(BigInteger)
    made_at: Mapped[datetime] = mapped_column(UTCDateTime)
