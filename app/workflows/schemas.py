"""What callers send and get back for workflows."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from app.core.models import Workflow
from app.core.vocabulary import Input, Key, Name


class WorkflowIn(Input):
    key: Key | None = Field(default=None, description="If given, must equal the key in the path.")
    name: Name
    webhook_url: str | None = Field(default=None, max_length=2048)


class WorkflowOut(BaseModel):
    key: str
    name: str
    webhook_url: str | None
    revision: int
    secret: str | None = Field(
        default=None,
        description=(
            "The signing secret: shown only in the answer that sets webhook_url, and in the "
            "answer to rotate-secret."
        ),
    )
    webhook_disabled_at: datetime | None = Field(
        default=None,
        description="Set when the receiver answered 410 Gone; setting webhook_url clears it.",
    )
    previous_secret_expires_at: datetime | None = Field(
        default=None,
        description="After a rotation: until then the previous secret also signs deliveries.",
    )

    @classmethod
    def of(cls, row: Workflow, *, with_secret: bool = False) -> WorkflowOut:
        return cls(
            key=row.key,
            name=row.name,
            webhook_url=row.webhook_url,
            revision=row.revision,
            secret=row.secret if with_secret else None,
            webhook_disabled_at=row.webhook_disabled_at,
            previous_secret_expires_at=(
                row.previous_secret_expires_at if row.previous_secret is not None else None
            ),
        )
