"""Touches: a contact made and its outcome, idempotent by touch_id; the outcome decides what
follows (an event, a promise, a dispute), all in the touch's transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from app.contacts import announce, disputes, promises, repository
from app.contacts.schemas import DisputeOut, PromiseOut, TouchIn, TouchOut
from app.core import metrics
from app.core.errors import Conflict, Invalid, NotFound
from app.core.idempotency import request_fingerprint
from app.core.models import ContactTask, Invoice, Touch
from app.core.store import lock_ids, on_commit
from app.core.vocabulary import latest_happened

TOUCH_LOCKS = 3  # lock_ids namespace: touch ids


def record(
    session: Session, body: TouchIn, *, grace_days: int, now: datetime, actor: str
) -> tuple[dict[str, Any], bool]:
    """Record a touch (False) or replay an identical one (True)."""
    fingerprint = request_fingerprint(body)
    lock_ids(session, TOUCH_LOCKS, [body.touch_id])
    prior = repository.touch(session, body.touch_id)
    if prior is not None:
        if prior.request_sha256 != fingerprint:
            raise Conflict(
                f"Touch '{body.touch_id}' was recorded with another body; touch ids are not reused."
            )
        return prior.answer, True
    invoice = repository.invoice(session, body.invoice_id, for_update=True)
    if invoice is None:
        raise NotFound(f"Invoice '{body.invoice_id}' is not known.")
    task = _task(session, body)
    _check_dates(body, invoice, now)
    row = Touch(
        touch_id=body.touch_id,
        invoice_id=invoice.invoice_id,
        customer_id=invoice.customer_id,
        segment=invoice.segment_key,
        task_id=body.task_id,
        channel=body.channel,
        kind=body.kind,
        occurred_at=body.occurred_at,
        outcome=body.outcome,
        note=body.note,
        before_due=body.occurred_at.date() < invoice.due_on,
        outstanding=invoice.amount - invoice.paid_amount,
        currency=invoice.currency,
        recorded_at=now,
        recorded_by=actor,
        request_sha256=fingerprint,
        answer={},
    )
    session.add(row)
    if task is not None and task.status in repository.LIVE:
        task.status, task.done_at = "done", body.occurred_at
    answer = TouchOut.model_validate(
        {**_fields(row), **_follow_up(session, body, invoice, grace_days, now, actor)}
    ).model_dump(mode="json")
    row.answer = answer
    announce.audited(
        session,
        action="touch.recorded",
        entity_type="touch",
        entity_id=row.touch_id,
        actor=actor,
        now=now,
        after={key: value for key, value in answer.items() if key not in ("promise", "dispute")},
    )
    on_commit(session, metrics.TOUCHES.labels(kind=body.kind, outcome=body.outcome).inc)
    return answer, False


def _task(session: Session, body: TouchIn) -> ContactTask | None:
    if body.task_id is None:
        return None
    task = repository.task(session, body.task_id)
    if task is None:
        raise NotFound(f"Task {body.task_id} does not exist.")
    if task.invoice_id != body.invoice_id:
        raise _invalid(
            ["body", "task_id"],
            f"Task {body.task_id} belongs to invoice '{task.invoice_id}', not '{body.invoice_id}'.",
        )
    return task


def _check_dates(body: TouchIn, invoice: Invoice, now: datetime) -> None:
    latest = latest_happened(now.date())
    if body.occurred_at.date() > latest:
        raise _invalid(
            ["body", "occurred_at"],
            f"occurred_at {body.occurred_at:%Y-%m-%d} is in the future: the latest is {latest}.",
        )
    promised = body.promise
    if promised is None:
        return
    if promised.currency != invoice.currency:
        raise _invalid(
            ["body", "promise", "currency"],
            f"The invoice is in {invoice.currency}; this promise is in {promised.currency}.",
        )
    outstanding = invoice.amount - invoice.paid_amount
    if promised.amount > outstanding:
        raise _invalid(
            ["body", "promise", "amount"],
            f"The promise ({promised.amount}) exceeds what is outstanding ({outstanding}).",
        )
    if promised.pay_on < now.date():
        raise _invalid(
            ["body", "promise", "pay_on"],
            f"pay_on {promised.pay_on} is in the past: a promise is dated today or later.",
        )


def _follow_up(
    session: Session,
    body: TouchIn,
    invoice: Invoice,
    grace_days: int,
    now: datetime,
    actor: str,
) -> dict[str, Any]:
    """What the outcome sets going; the promise or dispute it opened, for the answer."""
    if body.outcome == "invoice_not_received":
        data: dict[str, Any] = {
            "invoice_id": invoice.invoice_id,
            "customer_id": invoice.customer_id,
            "touch_id": body.touch_id,
            "route": invoice.route,
        }
        announce.event(session, invoice, "invoice.resend_requested", data, now)
    if body.promise is not None:
        made = promises.make(
            session,
            invoice,
            body.promise,
            touch_id=body.touch_id,
            grace_days=grace_days,
            now=now,
            actor=actor,
        )
        return {"promise": PromiseOut.of(made)}
    if body.dispute is not None:
        opened = disputes.open_on(
            session, invoice, body.dispute, touch_id=body.touch_id, now=now, actor=actor
        )
        return {"dispute": DisputeOut.of(opened)}
    return {}


def _fields(row: Touch) -> dict[str, Any]:
    return {
        "touch_id": row.touch_id,
        "invoice_id": row.invoice_id,
        "customer_id": row.customer_id,
        "task_id": row.task_id,
        "channel": row.channel,
        "kind": row.kind,
        "occurred_at": row.occurred_at,
        "outcome": row.outcome,
        "note": row.note,
    }


def _invalid(loc: list[str | int], detail: str) -> Invalid:
    return Invalid(detail, errors=[{"loc": loc, "msg": detail}])
