"""Worklist: today's customers in priority order with their tasks and why, and a form per task
to record the touch and its outcome (a promise or a dispute included). Each form carries a
touch_id made when the page was drawn, so submitting it twice records one touch."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from starlette.requests import Request
from starlette.responses import Response

from app.console.access import (
    Form,
    Posted,
    Refused,
    Viewer,
    may,
    minor_units,
    need,
    refusals,
    render,
    see_other,
    valid,
)
from app.contacts import service as contacts
from app.contacts.schemas import TouchIn
from app.core.keys import COLLECTIONS_WRITE, EXCEPTIONS_APPROVE, REPORTS_READ
from app.http.pages import Cursor
from app.http.state import state_of

router = APIRouter(include_in_schema=False)
SHOWN = 25
OUTCOMES = (
    ("no_issue", "No issue"),
    ("no_answer", "No answer"),
    ("wrong_contact", "Wrong contact"),
    ("invoice_not_received", "Invoice not received"),
    ("promise_to_pay", "Promise to pay"),
    ("dispute", "Dispute"),
    ("payment_sent", "Payment sent"),
)
DISPUTE_REASONS = ("wrong_delivery", "not_received", "price", "quantity", "quality", "other")
Notice = Annotated[str | None, Query(max_length=200)]


@router.get("/worklist")
def worklist(
    request: Request, who: Viewer, notice: Notice = None, cursor: Cursor = None
) -> Response:
    need(who, COLLECTIONS_WRITE, EXCEPTIONS_APPROVE, REPORTS_READ)
    state = state_of(request)
    with state.opened_store().reading() as session:
        listed = contacts.day_list(session, state.clock.today(), cursor=cursor, limit=SHOWN)
    return render(
        request,
        "worklist.html",
        who,
        title="Worklist",
        notice=notice,
        listed=listed,
        new_touch_id=lambda: f"console-{uuid.uuid4().hex}",
        may_record=may(who, COLLECTIONS_WRITE),
        outcomes=OUTCOMES,
        dispute_reasons=DISPUTE_REASONS,
        today=state.clock.today(),
        drawn_at=state.clock.now().strftime("%Y-%m-%dT%H:%M"),
    )


@router.post("/touches")
def record_touch(request: Request, form: Form) -> Response:
    """Record a touch, as `POST /v1/touches` (idempotent by touch_id)."""
    need(form.who, COLLECTIONS_WRITE)
    state = state_of(request)
    now = state.clock.now()
    with refusals():
        body = _touch(form, _occurred_at(form.get("occurred_at"), now))
        with state.opened_store().ledger() as session:
            answer, replayed = contacts.record_touch(
                session,
                body,
                grace_days=state.settings.promise_grace_days,
                now=now,
                actor=form.who.principal.name,
            )
    said = "was already recorded" if replayed else "recorded"
    back = form.get("back") if form.get("back").startswith("/console/") else "/console/worklist"
    joiner = "&" if "?" in back else "?"
    return see_other(f"{back}{joiner}notice=Touch+on+{answer['invoice_id']}+{said}")


def _occurred_at(typed: str, now: datetime) -> str:
    """The form's "when" (UTC, to the minute; drawn with the page, so a form sent twice sends
    the same touch), or now."""
    if not typed:
        return now.isoformat()
    try:
        return datetime.fromisoformat(typed).replace(tzinfo=UTC).isoformat()
    except ValueError as error:
        raise Refused(422, "Invalid request", "When is a time: YYYY-MM-DDTHH:MM.") from error


def _touch(form: Posted, occurred_at: str) -> TouchIn:
    outcome, currency = form.get("outcome"), form.get("currency")
    task_id, _, invoice_id = form.get("task").partition(" ")  # "<task id> <invoice id>"
    fields: dict[str, Any] = {
        "touch_id": form.get("touch_id"),
        "invoice_id": invoice_id,
        "task_id": int(task_id) if task_id.isdigit() else None,
        "channel": form.get("channel"),
        "kind": form.get("kind"),
        "occurred_at": occurred_at,
        "outcome": outcome,
        "note": form.get("note") or None,
    }
    if outcome == "promise_to_pay":
        fields["promise"] = {
            "amount": minor_units(form.get("promise_amount"), currency),
            "currency": currency,
            "pay_on": form.get("promise_on"),
        }
    if outcome == "dispute":
        amount = form.get("dispute_amount")
        fields["dispute"] = {
            "reason": form.get("dispute_reason"),
            "amount": minor_units(amount, currency) if amount else None,
        }
    return valid(TouchIn, fields)
