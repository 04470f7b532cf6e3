"""The rules for changing workflows."""

from __future__ import annotations

import base64
import secrets

from sqlalchemy.orm import Session

from app.audit import repository as audit
from app.auth import Principal
from app.clock import Clock
from app.errors import Invalid, NotFound
from app.models import Workflow
from app.pages import decode_cursor, page_of
from app.preconditions import check_if_match
from app.workflows import repository
from app.workflows.schemas import WorkflowIn, WorkflowOut
from app.workflows.webhook_url import check_webhook_url


def new_secret() -> str:
    """A Standard Webhooks secret: whsec_ and the base64 of 32 random bytes (the HMAC key)."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


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
    if shows_secret:
        row.secret = new_secret()
    elif body.webhook_url is None:
        row.secret = None
    row.name = body.name
    row.webhook_url = body.webhook_url
    row.revision += 1
    row.updated_at = clock.now()
    session.flush()
    audit.append(
        session,
        actor=who.name,
        action="workflow.created" if created else "workflow.updated",
        entity_type="workflow",
        entity_id=key,
        occurred_at=row.updated_at,
        before=before,
        after=WorkflowOut.of(row).model_dump(mode="json"),
        reason=reason,
    )
    return WorkflowOut.of(row, with_secret=shows_secret), created
