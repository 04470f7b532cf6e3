"""Tasks: each step of a routed invoice's contact plan, dated; cancelled once it is paid."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from app.contacts import repository
from app.contacts.schemas import TaskOut
from app.core.paging import decode_id_cursor, page_of

PLAN = "plan"
PROMISE_BROKEN = "promise_broken"


@dataclass(frozen=True, slots=True)
class Planned:
    """A routed invoice's contact plan: (on, channel, kind) steps."""

    invoice_id: str
    customer_id: str
    segment: str | None
    steps: Sequence[tuple[date, str, str]]


def plan(session: Session, planned: Iterable[Planned]) -> None:
    """One open task per step, in the route's transaction (one insert for a whole batch)."""
    repository.add_tasks(
        session,
        [
            (p.invoice_id, p.customer_id, p.segment, on, channel, kind, "open", PLAN)
            for p in planned
            for on, channel, kind in p.steps
        ],
    )


def listing(
    session: Session,
    *,
    on: date,
    status: str | None,
    customer_id: str | None,
    invoice_id: str | None,
    cursor: str | None,
    limit: int,
) -> tuple[list[TaskOut], str | None]:
    """Tasks dated on or before `on`, by id."""
    rows, next_cursor = page_of(
        repository.tasks(
            session,
            on=on,
            status=status,
            customer_id=customer_id,
            invoice_id=invoice_id,
            after_id=decode_id_cursor(cursor),
            limit=limit,
        ),
        limit,
        "id",
    )
    return [TaskOut.of(row) for row in rows], next_cursor
