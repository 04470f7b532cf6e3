"""What ops get back about webhook deliveries."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from app.core.models import OutboxEvent

DeliveryStatus = Literal["pending", "delivered", "dead"]
EVENT_ID_PATTERN = r"^evt_[A-Za-z0-9]{1,36}$"


class DeliveryOut(BaseModel):
    id: str = Field(description="The event id, sent as webhook-id on every attempt.")
    type: str
    workflow: str
    status: DeliveryStatus
    attempts: int = Field(description="Attempts made (or under way) since written or retried.")
    created_at: datetime
    next_attempt_at: datetime | None = Field(description="When a pending one is tried next.")
    last_status: int | None = Field(description="The HTTP status of the last answered attempt.")
    last_error: str | None
    delivered_at: datetime | None

    @classmethod
    def of(cls, row: OutboxEvent) -> DeliveryOut:
        return cls(
            id=row.event_id,
            type=row.event_type,
            workflow=row.workflow_key,
            status=row.status,
            attempts=row.attempts,
            created_at=row.created_at,
            next_attempt_at=row.next_attempt_at if row.status == "pending" else None,
            last_status=row.last_status,
            last_error=row.last_error,
            delivered_at=row.delivered_at,
        )
