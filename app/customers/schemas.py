"""What callers send and get back for overrides."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel

from app.vocabulary import Input, Key, Reason


class OverrideIn(Input):
    segment: Key
    reason: Reason
    expires_on: date | None = None


class OverrideOut(BaseModel):
    customer_id: str
    segment: str
    reason: str
    expires_on: date | None
    set_by: str
    set_at: datetime
