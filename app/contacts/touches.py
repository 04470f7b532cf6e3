"""Touches: a contact made and its outcome, idempotent by touch_id; the outcome decides what
follows (an event, a promise, a dispute), all in the touch's transaction.

One touch or a batch of up to 1000 take the same path: the touches, invoices and tasks named
are read (and the invoices locked) in one query each, then each touch is checked and written
in turn. Every check of a touch comes before its first write, so a batch item that is refused
leaves nothing behind and the others go on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from pydantic import TypeAdapter, ValidationError
from sqlalchemy.orm import Session

from app.contacts import announce, disputes, holds, promises, repository
from app.contacts.schemas import DisputeOut, PromiseOut, TouchIn, TouchOut
from app.core import metrics
from app.core.errors import (
    Conflict,
    Invalid,
    NotFound,
    PayloadTooLarge,
    TermsGateError,
    field_message,
)
from app.core.idempotency import request_fingerprint
from app.core.models import ContactTask, Invoice, Touch
from app.core.store import lock_ids, on_commit
from app.core.vocabulary import latest_happened

TOUCH_LOCKS = 3  # lock_ids namespace: touch ids
BATCH_MAX: Final = 1000
TOUCH: Final = TypeAdapter(TouchIn)


@dataclass(frozen=True, slots=True)
class Recorded:
    """A batch item's answer: `status` is what the single call would have answered (201, 200,
    404, 409, 422), with the touch or the problem."""

    touch_id: str | None
    status: int
    touch: dict[str, Any] | None = None
    error: dict[str, Any] | None = None


@dataclass(slots=True)
class _Known:
    """What the touches name, read up front: touches already recorded (and those recorded
    earlier in this batch), the invoices (locked) and the tasks."""

    touches: dict[str, Touch]
    invoices: dict[str, Invoice]
    tasks: dict[int, ContactTask]

    @classmethod
    def read(cls, session: Session, bodies: Sequence[TouchIn]) -> _Known:
        lock_ids(session, TOUCH_LOCKS, (body.touch_id for body in bodies))
        return cls(
            repository.touches_by_id(session, (body.touch_id for body in bodies)),
            repository.invoices_for_update(session, (body.invoice_id for body in bodies)),
            repository.tasks_by_id(
                session, (body.task_id for body in bodies if body.task_id is not None)
            ),
        )


def record(
    session: Session, body: TouchIn, *, grace_days: int, now: datetime, actor: str
) -> tuple[dict[str, Any], bool]:
    """Record a touch (False) or replay an identical one (True)."""
    known = _Known.read(session, [body])
    return _record(session, body, known, grace_days=grace_days, now=now, actor=actor)


def record_batch(
    session: Session, items: Sequence[Any], *, grace_days: int, now: datetime, actor: str
) -> list[Recorded]:
    """Up to 1000 touches in one transaction, each answered as the single call would be, in
    the order given; one refused does not stop the others."""
    if len(items) > BATCH_MAX:
        raise PayloadTooLarge(f"A batch holds at most {BATCH_MAX} touches, not {len(items)}.")
    parsed = [_parse(item, index) for index, item in enumerate(items)]
    known = _Known.read(session, [item for item in parsed if isinstance(item, TouchIn)])
    answers: list[Recorded] = []
    with holds.reholding_once(session):
        for index, item in enumerate(parsed):
            if not isinstance(item, TouchIn):
                answers.append(item)
                continue
            try:
                touch, replayed = _record(
                    session, item, known, grace_days=grace_days, now=now, actor=actor
                )
            except TermsGateError as error:
                refused = _numbered(error, index)
                answers.append(Recorded(item.touch_id, error.status, error=refused))
            else:
                answers.append(Recorded(item.touch_id, 200 if replayed else 201, touch=touch))
    return answers


def _record(
    session: Session,
    body: TouchIn,
    known: _Known,
    *,
    grace_days: int,
    now: datetime,
    actor: str,
) -> tuple[dict[str, Any], bool]:
    fingerprint = request_fingerprint(body)
    prior = known.touches.get(body.touch_id)
    if prior is not None:
        if prior.request_sha256 != fingerprint:
            raise Conflict(
                f"Touch '{body.touch_id}' was recorded with another body; touch ids are not reused."
            )
        return prior.answer, True
    invoice = known.invoices.get(body.invoice_id)
    if invoice is None:
        raise NotFound(f"Invoice '{body.invoice_id}' is not known.")
    task = _task(body, known)
    _check_dates(body, invoice, now)
    # The follow-up's own checks (a dispute on a paid invoice) come before its writes, and
    # before this touch's: a refused touch leaves nothing.
    followed = _follow_up(session, body, invoice, grace_days, now, actor)
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
    known.touches[row.touch_id] = row
    if task is not None and task.status in repository.LIVE:
        task.status, task.done_at = "done", body.occurred_at
    answer = TouchOut.model_validate({**_fields(row), **followed}).model_dump(mode="json")
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


def _task(body: TouchIn, known: _Known) -> ContactTask | None:
    if body.task_id is None:
        return None
    task = known.tasks.get(body.task_id)
    if task is None:
        raise NotFound(f"Task {body.task_id} does not exist.")
    if task.invoice_id != body.invoice_id:
        raise _invalid(
            ["body", "task_id"],
            f"Task {body.task_id} belongs to invoice '{task.invoice_id}', not '{body.invoice_id}'.",
        )
    return task


def _parse(item: Any, index: int) -> TouchIn | Recorded:
    """Batch item `index`, or its 422, located as the single call's with the index in the
    location (`["body", "touches", 3, "outcome"]`) and in the detail."""
    touch_id = item.get("touch_id") if isinstance(item, dict) else None
    try:
        return TOUCH.validate_python(item)
    except ValidationError as error:
        where: list[str | int] = ["body", "touches", index]
        errors = [{"loc": [*where, *e["loc"]], "msg": field_message(e)} for e in error.errors()]
    summary = "; ".join(
        f"{'.'.join(map(str, e['loc'][3:])) or 'the item'}: {e['msg']}" for e in errors[:3]
    )
    problem = Invalid(f"Touch {index} of the batch has invalid fields ({summary}).", errors=errors)
    return Recorded(touch_id if isinstance(touch_id, str) else None, 422, error=problem.problem())


def _numbered(error: TermsGateError, index: int) -> dict[str, Any]:
    """A batch item's refusal with its index in the detail and in each error's location."""
    errors = None
    if error.errors is not None:
        errors = [{**e, "loc": ["body", "touches", index, *e["loc"][1:]]} for e in error.errors]
    return type(error)(f"Touch {index} of the batch: {error.detail}", errors=errors).problem()


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
