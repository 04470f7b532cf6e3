"""The rules for changing workflows."""

from __future__ import annotations

import base64
import secrets
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from app.audit import service as audit
from app.core.clock import Clock
from app.core.errors import Conflict, Invalid, NotFound
from app.core.keys import Principal
from app.core.models import Workflow
from app.core.paging import decode_cursor, page_of
from app.core.preconditions import check_if_match
from app.workflows import repository
from app.workflows.schemas import WorkflowIn, WorkflowOut
from app.workflows.webhook_url import check_webhook_url

__all__ = [
    "check_webhook_url",
    "disable_webhook",
    "every",
    "find",
    "get",
    "listing",
    "new_secret",
    "put",
    "rotate_secret",
]


def new_secret() -> str:
    """A Standard Webhooks secret: whsec_ and the base64 of 32 random bytes (the HMAC key)."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def find(session: Session, key: str) -> Workflow | None:
    """The workflow row, for the domains that route to it; None if there is none."""
    return repository.get(session, key)


def every(session: Session) -> list[Workflow]:
    """Every workflow row, for a batch that routes to many."""
    return repository.every(session)


def get(session: Session, key: str) -> WorkflowOut:
    row = repository.get(session, key)
    if row is None:
        raise NotFound(f"Workflow '{key}' does not exist.")
    return WorkflowOut.of(row)


def listing(
    session: Session, cursor: str | None, limit: int
) -> tuple[list[WorkflowOut], str | None]:
    rows, next_cursor = page_of(
        repository.page(session, decode_cursor(cursor), limit), limit, "key"
    )
    return [WorkflowOut.of(row) for row in rows], next_cursor


def put(
    session: Session,
    key: str,
    *,
    body: WorkflowIn,
    if_match: str | None,
    who: Principal,
    clock: Clock,
    allow_private: bool,
    reason: str | None,
) -> tuple[WorkflowOut, bool]:
    """Create (True) or replace under If-Match (False); a new webhook_url gets a fresh secret."""
    if body.key is not None and body.key != key:
        raise Invalid(
            f"The body's key '{body.key}' is not the path's '{key}'.",
            errors=[{"loc": ["body", "key"], "msg": "must equal the key in the path"}],
        )
    if body.webhook_url is not None:
        check_webhook_url(body.webhook_url, allow_private)
    row = repository.get(session, key)
    created = row is None
    before = None
    if row is None:
        row = Workflow(key=key, revision=0, webhook_url=None, secret=None)
        session.add(row)
    else:
        check_if_match(if_match, row.revision, f"Workflow '{key}'")
        before = WorkflowOut.of(row).model_dump(mode="json")
    shows_secret = body.webhook_url is not None and body.webhook_url != row.webhook_url
    if shows_secret or body.webhook_url is None:
        # A new receiver gets a secret of its own; no earlier one signs for it.
        row.secret = new_secret() if shows_secret else None
        row.previous_secret, row.previous_secret_expires_at = None, None
    # Setting a URL, even the same one, resumes a webhook a 410 had disabled.
    row.webhook_disabled_at = None
    row.name = body.name
    row.webhook_url = body.webhook_url
    row.revision += 1
    row.updated_at = clock.now()
    session.flush()
    audit.record(
        session,
        audit.Entry(
            actor=who.name,
            action="workflow.created" if created else "workflow.updated",
            entity_type="workflow",
            entity_id=key,
            occurred_at=row.updated_at,
            before=before,
            after=WorkflowOut.of(row).model_dump(mode="json"),
            reason=reason,
        ),
    )
    return WorkflowOut.of(row, with_secret=shows_secret), created


def rotate_secret(
    session: Session,
    key: str,
    *,
    if_match: str | None,
    who: Principal,
    clock: Clock,
    grace: timedelta,
    reason: str | None,
) -> WorkflowOut:
    """A new secret, shown once; the one it replaces also signs for `grace` (if any)."""
    row = repository.get(session, key)
    if row is None:
        raise NotFound(f"Workflow '{key}' does not exist.")
    if if_match is not None:
        check_if_match(if_match, row.revision, f"Workflow '{key}'")
    if row.webhook_url is None or row.secret is None:
        raise Conflict(f"Workflow '{key}' has no webhook_url, so no secret to rotate.")
    before = WorkflowOut.of(row).model_dump(mode="json")
    now = clock.now()
    if grace > timedelta(0):
        row.previous_secret, row.previous_secret_expires_at = row.secret, now + grace
    else:
        row.previous_secret, row.previous_secret_expires_at = None, None
    row.secret = new_secret()
    row.revision += 1
    row.updated_at = now
    session.flush()
    audit.record(
        session,
        audit.Entry(
            actor=who.name,
            action="workflow.secret_rotated",
            entity_type="workflow",
            entity_id=key,
            occurred_at=now,
            before=before,
            after=WorkflowOut.of(row).model_dump(mode="json"),
            reason=reason,
        ),
    )
    return WorkflowOut.of(row, with_secret=True)


def disable_webhook(session: Session, key: str, *, url: str, now: datetime) -> bool:
    """The receiver at `url` answered 410 Gone: send nothing more until a URL is set again.

    Only if the workflow still points there (ops may have moved it meanwhile); True if done.
    """
    row = repository.get(session, key)
    if row is None or row.webhook_url != url or row.webhook_disabled_at is not None:
        return False
    before = WorkflowOut.of(row).model_dump(mode="json")
    row.webhook_disabled_at = now
    row.revision += 1
    row.updated_at = now
    session.flush()
    audit.record(
        session,
        audit.Entry(
            actor="relay",
            action="workflow.webhook_disabled",
            entity_type="workflow",
            entity_id=key,
            occurred_at=now,
            before=before,
            after=WorkflowOut.of(row).model_dump(mode="json"),
            reason="the receiver answered 410 Gone",
        ),
    )
    return True
