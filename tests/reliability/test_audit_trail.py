"""Item 8, audit: 1,000 writes through the API (300 in CI) leave exactly as many audit rows, each
saying who, when, what and why, and the refused or replayed ones leave none; the store refuses to
change or remove a row; `termsgate audit verify` passes on them, and fails, naming the row, once
one is altered, deleted or inserted out of chain by hand (as a superuser would). SQLite and
PostgreSQL.

"Why" is the caller's reason where the API takes one (a body's `reason`, an approval's `note`,
`X-Audit-Reason`) and else the request id (the caller's `X-Request-ID`; `cli-...` for the CLI).
"""

from __future__ import annotations

import getpass
import itertools
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, func, insert, select, text
from sqlalchemy.exc import DBAPIError

from app.audit import service as audit
from app.audit.repository import chain_hash, hashed_fields
from app.core.config import Settings
from app.core.models import AuditEvent
from app.core.store import Store
from tests.support.audit import REFUSED, bypassing_the_trigger
from tests.support.figures import Figure
from tests.support.keys import KeyMaker
from tests.support.policies import DEFAULT as DEFAULT_POLICY
from tests.support.segments import net_45, place
from tests.support.server import termsgate

pytestmark = pytest.mark.process  # `termsgate apikey` and `termsgate audit verify` run as the CLI

CLI_RUN = "cli run"  # stands for the request id a CLI run gives itself: cli-<pid>-<time>
ITS_ID = "its id"  # stands for the id of what a write made, as its answer gives it


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """Webhooks may point at loopback (nothing is delivered: no relay runs here)."""
    return settings.model_copy(update={"webhook_allow_private": True})


@dataclass(frozen=True)
class Size:
    """How many writes of each kind; the routes in batches make up the rest of `mutations`."""

    mutations: int
    overrides: int  # customers pinned, then released
    exceptions: int  # requested; half approved, half rejected
    payments: int
    single_routes: int
    batch: int  # routes in a batch


# CI, and `pytest --long` (the 1,000 writes the claim names): every kind of write in both, and
# the batched routes in more than one batch (CI's: 30, 30 and 16).
SIZES = {False: Size(200, 6, 12, 30, 24, 30), True: Size(1000, 30, 60, 200, 150, 200)}


@pytest.fixture
def size(request: pytest.FixtureRequest) -> Size:
    return SIZES[request.config.getoption("--long")]


Made = Sequence[tuple[str, str, str, str | None]]  # (action, entity_type, entity_id, reason)


@dataclass(frozen=True)
class Row:
    """What one audit row must say: who, what (action, entity) and why (reason, request)."""

    actor: str
    action: str
    entity_type: str
    entity_id: str
    reason: str | None
    request_id: str


@dataclass
class Writes:
    """Writes through the API, each with a request id of its own, and the rows they must leave."""

    client: TestClient
    keys: dict[str, dict[str, str]]
    expected: list[Row] = field(default_factory=list)
    refused: int = 0
    _ids: Iterator[int] = field(default_factory=itertools.count)

    def send(
        self,
        method: str,
        path: str,
        key: str,
        status: int,
        *,
        json: Any = None,
        headers: dict[str, str] | None = None,
        rows: Made = (),
    ) -> httpx.Response:
        """Send as `key`; expect `status` and the rows `rows` names (ITS_ID: the id the answer
        gives); a write that must leave none is counted as refused or replayed."""
        rid = f"audit-trail-{next(self._ids)}"
        sent = {**self.keys[key], "X-Request-ID": rid, **(headers or {})}
        answer: httpx.Response = self.client.request(method, path, json=json, headers=sent)
        assert answer.status_code == status, f"{method} {path}: {answer.status_code} {answer.text}"
        assert answer.headers["x-request-id"] == rid
        for action, entity_type, entity_id, reason in rows:
            if entity_id == ITS_ID:
                entity_id = answer.json()["id"]
            self.expected.append(Row(key, action, entity_type, entity_id, reason, rid))
        if not rows and method != "GET":
            self.refused += 1
        return answer

    def cli(self, *args: str, database_url: str, rows: list[tuple[str, str, str]]) -> str:
        done = termsgate(*args, env={"TERMSGATE_DATABASE_URL": database_url})
        assert done.returncode == 0, done.stderr
        self.expected.extend(Row(cli_actor(), *row, None, CLI_RUN) for row in rows)
        return done.stdout


def cli_actor() -> str:
    return f"cli:{getpass.getuser()}"[:64]


def audit_count(store: Store) -> int:
    with store.reading() as session:
        return session.scalar(select(func.count()).select_from(AuditEvent)) or 0


def every_event(client: TestClient, headers: dict[str, str], after_id: int) -> list[dict[str, Any]]:
    """The log as GET /v1/audit-events pages through it, from after `after_id`."""
    items: list[dict[str, Any]] = []
    cursor: str | None = None
    for _ in range(100):
        params: dict[str, Any] = {"limit": 1000, **({"cursor": cursor} if cursor else {})}
        page = client.get("/v1/audit-events", params=params, headers=headers)
        assert page.status_code == 200, page.text
        body = page.json()
        items.extend(body["items"])
        cursor = body["next_cursor"]
        if cursor is None:
            return [item for item in items if item["id"] > after_id]
    pytest.fail("the audit log did not end within 100 pages")


def thousand_writes(writes: Writes, database_url: str, size: Size) -> None:
    """1,000 audited writes (`size.mutations`) of every kind the API makes, with refused and
    replayed ones between."""
    send = writes.send
    # Segments: created, updated 18 times (half with a reason), deleted.
    etag = send(
        "PUT",
        "/v1/segments/net_45",
        "ops",
        201,
        json=net_45(),
        headers={"X-Audit-Reason": "EU tier"},
        rows=[("segment.created", "segment", "net_45", "EU tier")],
    ).headers["etag"]
    for n in range(18):
        reason = f"rename {n}" if n % 2 else None
        etag = send(
            "PUT",
            "/v1/segments/net_45",
            "ops",
            200,
            json=net_45(name=f"Net 45 v{n}"),
            headers={"If-Match": etag, **({"X-Audit-Reason": reason} if reason else {})},
            rows=[("segment.updated", "segment", "net_45", reason)],
        ).headers["etag"]
    send("PUT", "/v1/segments/net_45", "ops", 412, json=net_45(), headers={"If-Match": '"1"'})
    send("PUT", "/v1/segments/net_45", "ops", 428, json=net_45())
    send("PUT", "/v1/segments/net_45", "billing", 403, json=net_45(), headers={"If-Match": etag})
    send(
        "DELETE",
        "/v1/segments/net_45",
        "ops",
        204,
        headers={"If-Match": etag},
        rows=[("segment.deleted", "segment", "net_45", None)],
    )

    # Workflows: created, given a webhook, its secret rotated three times.
    etag = send(
        "PUT",
        "/v1/workflows/collections",
        "ops",
        201,
        json={"name": "Collections"},
        rows=[("workflow.created", "workflow", "collections", None)],
    ).headers["etag"]
    hooked = {"name": "Collections", "webhook_url": "http://127.0.0.1:9/hooks"}
    etag = send(
        "PUT",
        "/v1/workflows/collections",
        "ops",
        200,
        json=hooked,
        headers={"If-Match": etag, "X-Audit-Reason": "collections agency"},
        rows=[("workflow.updated", "workflow", "collections", "collections agency")],
    ).headers["etag"]
    for n in range(3):
        reason = f"rotation {n}"
        etag = send(
            "POST",
            "/v1/workflows/collections/rotate-secret",
            "ops",
            200,
            headers={"If-Match": etag, "X-Audit-Reason": reason},
            rows=[("workflow.secret_rotated", "workflow", "collections", reason)],
        ).headers["etag"]

    # The segmentation policy: five new versions.
    etag = send("GET", "/v1/segmentation-policy", "ops", 200).headers["etag"]
    for n in range(5):
        body = {**DEFAULT_POLICY, "lookback_days": 300 + n}
        answer = send(
            "PUT",
            "/v1/segmentation-policy",
            "ops",
            200,
            json=body,
            headers={"If-Match": etag, "X-Audit-Reason": f"policy review {n}"},
            rows=[("policy.updated", "segmentation_policy", str(n + 2), f"policy review {n}")],
        )
        etag = answer.headers["etag"]
        assert answer.json()["version"] == n + 2

    # Overrides: pinned (reason in the body), then released (reason in a header, or none).
    for n in range(size.overrides):
        customer = f"pinned-{n}"
        send(
            "PUT",
            f"/v1/customers/{customer}/override",
            "ops",
            200,
            json={"segment": "net_15", "reason": f"late twice ({n})"},
            rows=[("override.set", "customer", customer, f"late twice ({n})")],
        )
    send(
        "PUT",
        "/v1/customers/strategic-0/override",
        "ops",
        409,
        json={"segment": "net_30", "reason": "looser than its net_15"},
    )
    for n in range(size.overrides):
        customer = f"pinned-{n}"
        reason = "paid up" if n % 2 else None
        send(
            "DELETE",
            f"/v1/customers/{customer}/override",
            "ops",
            204,
            headers={"X-Audit-Reason": reason} if reason else None,
            rows=[("override.removed", "customer", customer, reason)],
        )
    send("DELETE", "/v1/customers/pinned-0/override", "ops", 404)

    # Term exceptions: requested by sales, then approved or rejected by finance.
    pending: list[str] = []
    for n in range(size.exceptions):
        customer, reason = f"strategic-{n}", f"deal {n}"
        answer = send(
            "POST",
            "/v1/term-exceptions",
            "sales",
            201,
            json={"customer_id": customer, "segment": "net_30", "reason": reason},
            rows=[("term_exception.requested", "term_exception", ITS_ID, reason)],
        )
        pending.append(answer.json()["id"])
    for n, exception_id in enumerate(pending):
        decision, decided = ("approve", "approved") if n % 2 == 0 else ("reject", "rejected")
        note = f"{decided} by the CFO" if n % 3 else None
        send(
            "POST",
            f"/v1/term-exceptions/{exception_id}/{decision}",
            "finance",
            200,
            json={"note": note} if note else None,
            rows=[(f"term_exception.{decided}", "term_exception", exception_id, note)],
        )
    send("POST", f"/v1/term-exceptions/{pending[0]}/reject", "finance", 409)
    send("POST", f"/v1/term-exceptions/{pending[1]}/approve", "sales", 403)

    # Segmentation runs (dry: a run is recorded, nothing moves).
    for _ in range(2):
        send(
            "POST",
            "/v1/segmentation-runs",
            "ops",
            201,
            json={"dry_run": True},
            rows=[("segmentation_run.dry_run", "segmentation_run", ITS_ID, None)],
        )

    # API keys: made and revoked by an operator with the CLI (there is no API for keys).
    writes.cli(
        "apikey",
        "create",
        "--name",
        "temporary",
        "--scope",
        "terms:read",
        database_url=database_url,
        rows=[("apikey.created", "api_key", "temporary")],
    )
    writes.cli(
        "apikey",
        "revoke",
        "temporary",
        database_url=database_url,
        rows=[("apikey.revoked", "api_key", "temporary")],
    )

    # Invoices routed one at a time, with replays (200) and conflicts (409) between.
    def invoice(n: int, amount: int = 100_000) -> dict[str, Any]:
        return {
            "invoice_id": f"inv-{n}",
            "customer_id": f"buyer-{n % 40}",
            "amount": amount,
            "currency": "USD",
            "issued_on": "2026-11-02",
        }

    for n in range(size.single_routes):
        send(
            "POST",
            "/v1/invoice-routes",
            "billing",
            201,
            json=invoice(n),
            rows=[("invoice.routed", "invoice", f"inv-{n}", None)],
        )
    for n in range(10):
        send("POST", "/v1/invoice-routes", "billing", 200, json=invoice(n))
    for n in range(5):
        send("POST", "/v1/invoice-routes", "billing", 409, json=invoice(n, amount=1))
    send("POST", "/v1/invoice-routes", "billing", 422, json={**invoice(999), "amount": -1})

    # Payments: 200 part payments on the invoices above, with replays and an overpayment.
    def payment(n: int, amount: int = 20_000) -> dict[str, Any]:
        return {
            "payment_id": f"pay-{n}",
            "invoice_id": f"inv-{n % size.single_routes}",
            "amount": amount,
            "currency": "USD",
            "paid_on": "2026-11-10",
        }

    for n in range(size.payments):
        send(
            "POST",
            "/v1/payments",
            "billing",
            201,
            json=payment(n),
            rows=[("payment.recorded", "payment", f"pay-{n}", None)],
        )
    for n in range(5):
        send("POST", "/v1/payments", "billing", 200, json=payment(n))
    send("POST", "/v1/payments", "billing", 422, json=payment(size.payments, amount=10_000_000))

    # The rest in batches; a batch's replayed and conflicting items leave no row.
    left = size.mutations - len(writes.expected)
    first = size.single_routes
    while left > 0:
        fresh = min(size.batch, left)
        numbers = range(first, first + fresh)
        items = [invoice(n) for n in numbers] + [invoice(0), invoice(1, amount=1)]
        answer = send(
            "POST",
            "/v1/invoice-routes/batch",
            "billing",
            200,
            json={"invoices": items},
            rows=[("invoice.routed", "invoice", f"inv-{n}", None) for n in numbers],
        )
        statuses = Counter(result["status"] for result in answer.json()["results"])
        assert statuses == {201: fresh, 200: 1, 409: 1}
        first += fresh
        left -= fresh
    send(
        "POST",
        "/v1/invoice-routes/batch",
        "billing",
        200,
        json={"invoices": [invoice(0), invoice(1)]},
    )
    send("POST", "/v1/invoice-routes", "sales", 403, json=invoice(5000))
    send("POST", "/v1/invoice-routes", "nobody", 401, json=invoice(5000))


def test_a_thousand_writes_leave_a_thousand_complete_rows_and_verify_guards_them(
    client: TestClient,
    store: Store,
    make_key: KeyMaker,
    database_url: str,
    connection: Connection,
    backend: str,
    figure: Figure,
    size: Size,
) -> None:
    keys = {
        name: make_key(*scopes, name=name)
        for name, scopes in {
            "ops": ["segments:write"],
            "billing": ["invoices:write"],
            "sales": ["exceptions:request"],
            "finance": ["exceptions:approve"],
            "auditor": ["reports:read"],
        }.items()
    }
    keys["nobody"] = {"Authorization": "Bearer tgk_" + "A" * 43}
    for n in range(size.overrides):
        place(store, f"pinned-{n}", "net_30")
    for n in range(size.exceptions):
        place(store, f"strategic-{n}", "net_15")
    before = audit_count(store)
    last_before = every_event(client, keys["auditor"], 0)[-1]["id"]
    started = datetime.now(UTC)

    writes = Writes(client, keys)
    thousand_writes(writes, database_url, size)
    ended = datetime.now(UTC)

    assert len(writes.expected) == size.mutations
    written = audit_count(store) - before
    figure("8", f"audit rows after {size.mutations} writes through the API ({backend})", written)
    figure(
        "8",
        f"audit rows from {writes.refused} refused or replayed writes ({backend})",
        written - size.mutations,
    )
    assert written == size.mutations

    # Who, what and why: the rows are exactly the writes, as the API lists them.
    events = every_event(client, keys["auditor"], last_before)
    assert len(events) == size.mutations
    cli_run = re.compile(r"cli-[0-9a-f]+-[0-9a-f]+")
    seen = [
        Row(
            e["actor"],
            e["action"],
            e["entity_type"],
            e["entity_id"],
            e["reason"],
            CLI_RUN if e["request_id"] and cli_run.fullmatch(e["request_id"]) else e["request_id"],
        )
        for e in events
    ]
    assert Counter(seen) == Counter(writes.expected)
    assert seen == writes.expected  # in the order they were made
    # When: every row is stamped (UTC) within the run, in order; what: every row holds content.
    stamps = [datetime.fromisoformat(e["occurred_at"]) for e in events]
    assert all(started <= at <= ended and at.utcoffset() is not None for at in stamps)
    assert stamps == sorted(stamps)
    assert all(e["before"] is not None or e["after"] is not None for e in events)
    complete = sum(
        bool(e["actor"] and e["occurred_at"] and e["action"] and e["entity_id"])
        and bool(e["reason"] or e["request_id"])
        for e in events
    )
    figure("8", f"rows with who, when, what and why ({backend})", f"{complete}/{len(events)}")
    figure(
        "8",
        f"rows whose why is the caller's reason ({backend})",
        sum(e["reason"] is not None for e in events),
    )
    assert complete == size.mutations
    kinds = Counter(e["action"] for e in events)
    figure("8", f"kinds of audited write exercised ({backend})", len(kinds))

    # The store refuses to change or remove rows, whoever asks through SQL.
    statements = [
        "UPDATE audit_events SET reason = 'nothing to see'",
        "UPDATE audit_events SET actor = 'x' WHERE id = (SELECT max(id) FROM audit_events)",
        "DELETE FROM audit_events WHERE id = (SELECT max(id) FROM audit_events)",
        "DELETE FROM audit_events",
    ]
    if backend == "postgresql":
        statements.append("TRUNCATE audit_events")
    refused = 0
    for statement in statements:
        with pytest.raises(DBAPIError, match=REFUSED):
            connection.execute(text(statement))
        connection.rollback()
        refused += 1
    in_log = connection.scalar(select(func.count()).select_from(AuditEvent))
    assert in_log == before + size.mutations
    figure(
        "8",
        f"UPDATE/DELETE/TRUNCATE on the log refused ({backend})",
        f"{refused}/{len(statements)}",
    )

    verify_by_hand(connection, store, database_url, before + size.mutations, backend, figure)


def verify(database_url: str) -> tuple[int, str]:
    done = termsgate("audit", "verify", env={"TERMSGATE_DATABASE_URL": database_url})
    return done.returncode, done.stdout


def mended(store: Store, rows: int) -> bool:
    """The chain verifies again after a tampering was undone: the check `audit verify` makes,
    in this process (the command's start-up is a second of CPU on a busy machine)."""
    with store.reading() as session:
        check = audit.verify(session)
    return check.broken_at is None and check.events_checked == rows


def verify_by_hand(
    connection: Connection,
    store: Store,
    database_url: str,
    rows: int,
    backend: str,
    figure: Figure,
) -> None:
    """`termsgate audit verify` passes, then names the row after each tampering by hand; each
    tampering is undone before the next, and the chain verifies again."""
    intact = (0, f"audit chain intact: {rows} events\n")
    assert verify(database_url) == intact
    ids = list(connection.scalars(select(AuditEvent.id).order_by(AuditEvent.id)))
    connection.rollback()
    target = ids[len(ids) // 2]
    detected: list[str] = []

    # Altered: one column of one row, the amount a routed invoice was audited with, say.
    original = (
        connection.execute(select(AuditEvent.__table__).where(AuditEvent.id == target))
        .one()
        ._asdict()
    )
    connection.rollback()
    bypassing_the_trigger(
        connection, "UPDATE audit_events SET actor = 'someone-else' WHERE id = :id", target
    )
    assert verify(database_url) == (
        1,
        f"audit chain broken at event {target}: hash does not match the event's contents\n",
    )
    detected.append("altered")
    bypassing_the_trigger(
        connection,
        "UPDATE audit_events SET actor = :actor WHERE id = :id",
        target,
        actor=original["actor"],
    )
    assert mended(store, rows)

    # Deleted: the row after the gap no longer links to the row before it.
    bypassing_the_trigger(connection, "DELETE FROM audit_events WHERE id = :id", target)
    assert verify(database_url) == (
        1,
        f"audit chain broken at event {ids[ids.index(target) + 1]}: "
        "prev_hash does not match the previous event's hash\n",
    )
    detected.append("deleted")
    connection.execute(insert(AuditEvent).values(**original))
    connection.commit()
    assert mended(store, rows)

    # Inserted out of chain: a well-formed row, hashed as the app would, that links to an
    # earlier row than the last (an insert needs no bypass: the log is append-only, not closed).
    forged = AuditEvent(
        occurred_at=datetime.now(UTC),
        actor="ops",
        action="override.removed",
        entity_type="customer",
        entity_id="pinned-0",
        reason="approved by finance",
        before=None,
        after=None,
        request_id=None,
        prev_hash=original["hash"],
    )
    forged.hash = chain_hash(forged.prev_hash, hashed_fields(forged))
    inserted = connection.execute(
        insert(AuditEvent)
        .values(
            **{
                c.name: getattr(forged, c.key)
                for c in AuditEvent.__table__.columns
                if c.name != "id"
            }
        )
        .returning(AuditEvent.__table__.c.id)
    ).scalar_one()
    connection.commit()
    assert verify(database_url) == (
        1,
        f"audit chain broken at event {inserted}: "
        "prev_hash does not match the previous event's hash\n",
    )
    detected.append("inserted")
    bypassing_the_trigger(connection, "DELETE FROM audit_events WHERE id = :id", inserted)
    assert mended(store, rows)
    figure("8", f"`termsgate audit verify` on {rows} rows ({backend})", "intact")
    figure(
        "8",
        f"tamperings by hand `audit verify` detects, naming the row ({backend})",
        f"{len(detected)}/3 ({', '.join(detected)})",
    )
