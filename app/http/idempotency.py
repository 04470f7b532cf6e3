"""The Idempotency-Key header on the POSTs that have no natural key of their own.

`once` wraps the work of one request in its own transaction: the same key with the same call
within 24 hours answers the first response again (`Idempotent-Replayed: true`) and does
nothing more; with another call, 409. A concurrent request with the same key waits for the
first to commit, then replays it. `once_apart` does the same for work that runs transactions
of its own (a segmentation run): the key is marked in flight first, so a concurrent request
gets 409 instead of doing the work twice.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

import orjson
from fastapi import Header, Request
from fastapi.responses import Response
from pydantic import BaseModel
from sqlalchemy.orm import Session

from app.core import idempotency
from app.core.clock import Clock
from app.core.errors import Conflict
from app.core.keys import Principal
from app.core.models import IdempotentRequest
from app.core.store import Store

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=255,
        pattern=r"^[\x20-\x7e]+$",
        description="Makes a retry safe: the same key and body within 24 hours answer the "
        "first response again, with Idempotent-Replayed: true.",
    ),
]
REPLAYED = {"Idempotent-Replayed": "true"}
# What of the first answer's headers a replay repeats.
KEPT_HEADERS = ("etag", "location")


def once(
    session: Session,
    key: str | None,
    *,
    who: Principal,
    request: Request,
    body: BaseModel | None,
    clock: Clock,
    work: Callable[[], Response],
) -> Response:
    """Answer `work()` once per (caller, key); the kept answer commits with the work."""
    if key is None:
        return work()
    fingerprint = idempotency.call_fingerprint(request.method, request.url.path, body)
    now = clock.now()
    row = idempotency.held(session, who.name, key, now)
    if row is not None:
        return _replay(row, fingerprint, key)
    answer = work()
    idempotency.remember(session, who.name, key, fingerprint, _kept(answer), now)
    return answer


def once_apart(
    store: Store,
    key: str | None,
    *,
    who: Principal,
    request: Request,
    body: BaseModel | None,
    clock: Clock,
    work: Callable[[], Response],
) -> Response:
    """`once` for work that commits on its own: mark the key in flight, work, keep the answer."""
    if key is None:
        return work()
    fingerprint = idempotency.call_fingerprint(request.method, request.url.path, body)
    with store.ledger() as session:
        row = idempotency.held(session, who.name, key, clock.now())
        if row is not None:
            return _replay(row, fingerprint, key)
        idempotency.remember(session, who.name, key, fingerprint, None, clock.now())
    try:
        answer = work()
    except Exception:
        with store.ledger() as session:  # nothing was done: the key is free again
            row = idempotency.held(session, who.name, key, clock.now())
            if row is not None and row.status_code is None:
                session.delete(row)
        raise
    with store.ledger() as session:
        idempotency.held(session, who.name, key, clock.now())
        idempotency.remember(session, who.name, key, fingerprint, _kept(answer), clock.now())
    return answer


def json_answer(
    model: BaseModel, status: int = 200, headers: dict[str, str] | None = None
) -> Response:
    return Response(
        orjson.dumps(model.model_dump(mode="json")),
        status_code=status,
        media_type="application/json",
        headers=headers,
    )


def _replay(row: IdempotentRequest, fingerprint: str, key: str) -> Response:
    if row.fingerprint != fingerprint:
        raise Conflict(
            f"Idempotency-Key '{key}' was used with another request; use a new key for a new "
            "request."
        )
    kept = idempotency.kept_answer(row)
    if kept is None:
        raise Conflict(
            f"A request with Idempotency-Key '{key}' is still in progress; retry in a moment."
        )
    status, body, headers = kept
    return Response(
        body, status_code=status, media_type="application/json", headers={**headers, **REPLAYED}
    )


def _kept(answer: Response) -> tuple[int, bytes, dict[str, str]]:
    headers = {name: answer.headers[name] for name in KEPT_HEADERS if name in answer.headers}
    return answer.status_code, bytes(answer.body), headers
