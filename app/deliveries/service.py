"""The rules around deliveries: what ops may see and resend, and the relay's bookkeeping."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from app.audit import service as audit
from app.core.clock import Clock
from app.core.config import Settings
from app.core.errors import Conflict, NotFound
from app.core.keys import Principal
from app.core.models import Workflow
from app.core.paging import decode_id_cursor, page_of
from app.deliveries import repository
from app.deliveries.outbox import accepts_events, enqueue, event_row
from app.deliveries.outcomes import Claim, Settlement
from app.deliveries.repository import ClaimedEvent
from app.deliveries.schemas import DeliveryOut
from app.workflows import service as workflows

# The outbox, for the domains whose changes announce events in their own transaction.
__all__ = [
    "accepts_events",
    "backlog",
    "claim",
    "enqueue",
    "event_row",
    "listing",
    "live_secrets",
    "record",
    "retry",
]


def listing(
    session: Session, *, status: str | None, workflow: str | None, cursor: str | None, limit: int
) -> tuple[list[DeliveryOut], str | None]:
    """Newest first; the cursor carries the last id seen."""
    rows, next_cursor = page_of(
        repository.page(session, status, workflow, decode_id_cursor(cursor), limit), limit, "id"
    )
    return [DeliveryOut.of(row) for row in rows], next_cursor


def retry(
    session: Session, event_id: str, *, who: Principal, clock: Clock, reason: str | None
) -> DeliveryOut:
    """Send a dead event again, with a fresh schedule; a pending one is left as it is."""
    row = repository.by_event_id(session, event_id)
    if row is None:
        raise NotFound(f"Delivery '{event_id}' does not exist.")
    if row.status == "delivered":
        raise Conflict(f"Delivery '{event_id}' was delivered; there is nothing to retry.")
    if row.status == "pending":
        return DeliveryOut.of(row)
    workflow = session.get(Workflow, row.workflow_key)
    blocked = _undeliverable(row.workflow_key, workflow)
    if blocked is not None:
        raise Conflict(f"Delivery '{event_id}' cannot be sent: {blocked}.")
    before = DeliveryOut.of(row).model_dump(mode="json")
    now = clock.now()
    row.status, row.attempts, row.next_attempt_at = "pending", 0, now
    session.flush()
    after = DeliveryOut.of(row)
    audit.record(
        session,
        audit.Entry(
            actor=who.name,
            action="delivery.retried",
            entity_type="delivery",
            entity_id=event_id,
            occurred_at=now,
            before=before,
            after=after.model_dump(mode="json"),
            reason=reason,
        ),
    )
    return after


# -- the relay's bookkeeping: each call runs inside one short writing transaction ----------


def claim(session: Session, now: datetime, *, limit: int, settings: Settings) -> list[Claim]:
    """Lease up to `limit` due events, each with its workflow's webhook as it is now."""
    lease_until = now + timedelta(seconds=settings.relay_lease_seconds)
    events = repository.claim(session, now, limit, lease_until)
    if not events:
        return []
    hooks = repository.workflows(session, {event.workflow_key for event in events})
    return [_claim_of(event, hooks.get(event.workflow_key), now) for event in events]


def record(session: Session, settlements: Iterable[Settlement], now: datetime) -> list[Settlement]:
    """Write each outcome whose claim is still current; a 410 disables the webhook it hit."""
    written = []
    for settlement in settlements:
        if not repository.record(session, settlement):
            continue
        written.append(settlement)
        claim = settlement.outcome.claim
        if settlement.disables_webhook and claim.url is not None:
            workflows.disable_webhook(session, claim.workflow_key, url=claim.url, now=now)
    return written


def backlog(session: Session, now: datetime) -> tuple[int, float]:
    """Pending events, and the age in seconds of the oldest (0 when none)."""
    count, oldest = repository.backlog(session)
    age = 0.0 if oldest is None else max(0.0, (now - oldest).total_seconds())
    return count, age


def _claim_of(event: ClaimedEvent, workflow: Workflow | None, now: datetime) -> Claim:
    blocked = _undeliverable(event.workflow_key, workflow)
    if blocked is not None or workflow is None:
        return Claim(
            event.id, event.event_id, event.workflow_key, event.body, event.attempts, None, (),
            undeliverable=blocked, traceparent=event.traceparent,
        )  # fmt: skip
    return Claim(
        event.id,
        event.event_id,
        event.workflow_key,
        event.body,
        event.attempts,
        workflow.webhook_url,
        live_secrets(workflow, now),
        traceparent=event.traceparent,
    )


def _undeliverable(key: str, workflow: Workflow | None) -> str | None:
    """Why events for this workflow cannot be sent at all, or None."""
    if workflow is None:
        return f"workflow '{key}' does not exist"
    if workflow.webhook_url is None or workflow.secret is None:
        return f"workflow '{key}' has no webhook_url"
    if workflow.webhook_disabled_at is not None:
        since = workflow.webhook_disabled_at.isoformat(timespec="seconds")
        return f"workflow '{key}' webhook disabled since {since} (410 Gone); set webhook_url again"
    return None


def live_secrets(workflow: Workflow, now: datetime) -> tuple[str, ...]:
    """The secrets that sign now: the current one, and the previous one during its grace."""
    assert workflow.secret is not None
    expires_at = workflow.previous_secret_expires_at
    if workflow.previous_secret is not None and expires_at is not None and expires_at > now:
        return workflow.secret, workflow.previous_secret
    return (workflow.secret,)
