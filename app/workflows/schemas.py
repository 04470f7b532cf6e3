"""What callers send and get back for workflows."""

from __future__ import annotations

from pydantic import BaseModel, Field

from app.models import Workflow
from app.vocabulary import Input, Key, Name


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
        description="The signing secret: shown only in the answer that sets webhook_url.",
    )

    @classmethod
    def of(cls, row: Workflow, *, with_secret: bool = False) -> WorkflowOut:
        return cls(
            key=row.key,
            name=row.name,
            webhook_url=row.webhook_url,
            revision=row.revision,
            secret=row.secret if with_secret else None,
        )
