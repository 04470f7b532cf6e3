"""Every query about workflows."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.models import Workflow


def get(session: Session, key: str) -> Workflow | None:
    return session.get(Workflow, key)


def page(session: Session, after: str | None, limit: int) -> list[Workflow]:
    query = select(Workflow).order_by(Workflow.key).limit(limit + 1)
    if after is not None:
        query = query.where(Workflow.key > after)
    return list(session.scalars(query))


def every(session: Session) -> list[Workflow]:
    return list(session.scalars(select(Workflow)))
