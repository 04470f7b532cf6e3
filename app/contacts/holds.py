"""Which of an invoice's tasks are held: its reminders and escalations while a dispute is open,
and those dated up to an open promise's last day; every other live task is open. Worked out
afresh from the open promises and disputes whenever one of them opens or ends."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Final

from sqlalchemy import and_, case, exists, func, or_, select, update
from sqlalchemy.orm import Session

from app.contacts import repository
from app.core.models import ContactTask, Dispute, Promise
from app.core.statements import one_of

HELD_KINDS: Final = ("reminder", "escalation")
_NOTED: Final = "rehold_noted"  # session.info: invoices whose tasks are held again at the end


@contextmanager
def reholding_once(session: Session) -> Iterator[None]:
    """Within: `rehold` notes the invoice, and its tasks are held once, at the end (a batch of
    touches: one flush and one statement, not as many as there are promises). The same as at
    once for a batch of touches: holding is worked out afresh from the open promises and
    disputes, and a touch marks its task done whether it is open or held."""
    noted: set[str] = set()
    session.info[_NOTED] = noted
    try:
        yield
    finally:
        del session.info[_NOTED]
    _rehold(session, noted)


def rehold(session: Session, invoice_id: str) -> None:
    """Hold the invoice's reminders and escalations while a dispute is open, and those dated
    up to an open promise's last day; open every other live task again."""
    noted: set[str] | None = session.info.get(_NOTED)
    if noted is not None:
        noted.add(invoice_id)
        return
    _rehold(session, {invoice_id})


def _rehold(session: Session, invoice_ids: set[str]) -> None:
    if not invoice_ids:
        return
    session.flush()
    disputed = exists().where(
        Dispute.invoice_id == ContactTask.invoice_id, Dispute.status == "open"
    )
    keep_by = (
        select(func.max(Promise.keep_by))
        .where(Promise.invoice_id == ContactTask.invoice_id, Promise.status == "open")
        .scalar_subquery()
    )
    holds = and_(
        ContactTask.kind.in_(HELD_KINDS), or_(disputed, ContactTask.scheduled_on <= keep_by)
    )
    session.execute(
        update(ContactTask)
        .where(
            one_of(session, ContactTask.invoice_id, sorted(invoice_ids)),
            ContactTask.status.in_(repository.LIVE),
        )
        .values(status=case((holds, "held"), else_="open"))
        .execution_options(synchronize_session=False)
    )
    # Those invoices' tasks this session holds read their status again; nothing else is
    # expired (a batch of touches holds a thousand other rows).
    for row in list(session.identity_map.values()):
        if isinstance(row, ContactTask) and row.invoice_id in invoice_ids:
            session.expire(row, ["status"])
