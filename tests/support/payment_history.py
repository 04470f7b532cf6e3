"""Payment history written straight into the store, and runs asked for through the API."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any, NamedTuple

from fastapi.testclient import TestClient
from sqlalchemy import insert

from app.core.models import Invoice, Payment, SegmentationPolicy
from app.core.store import Store, written_version
from app.segmentation import repository as policies

# Every rule test classifies as of this day; the default policy looks back 365 days.
AS_OF = date(2024, 6, 30)
WINDOW_START = AS_OF - timedelta(days=365)
DAY = timedelta(days=1)


class Bill(NamedTuple):
    """One invoice and the payments made against it: (paid_on, amount) pairs."""

    customer_id: str
    invoice_id: str
    amount: int
    issued_on: date
    due_on: date
    payments: tuple[tuple[date, int], ...] = ()
    currency: str = "USD"
    gross_margin: int | None = None


def bill(
    customer_id: str,
    invoice_id: str,
    *,
    due_on: date,
    paid_on: date | None = None,
    issued_on: date | None = None,
    amount: int = 10_000,
    currency: str = "USD",
    gross_margin: int | None = None,
) -> Bill:
    """An invoice paid in full on `paid_on` (None: open), issued 30 days before due unless said."""
    payments = ((paid_on, amount),) if paid_on is not None else ()
    issued = issued_on if issued_on is not None else due_on - timedelta(days=30)
    return Bill(customer_id, invoice_id, amount, issued, due_on, payments, currency, gross_margin)


def record(store: Store, bills: Iterable[Bill]) -> None:
    """Write the invoices and their payments in one transaction, as an import would."""
    now = datetime.now(UTC)
    with store.writing() as session:
        version = written_version(session)
        invoices: list[dict[str, Any]] = []
        payments: list[dict[str, Any]] = []
        for item in bills:
            invoices.append(
                {
                    "invoice_id": item.invoice_id,
                    "customer_id": item.customer_id,
                    "amount": item.amount,
                    "currency": item.currency,
                    "issued_on": item.issued_on,
                    "due_on": item.due_on,
                    "gross_margin": item.gross_margin,
                    "terms_type": "net",
                    "net_days": max(1, min(365, (item.due_on - item.issued_on).days)),
                    "origin": "import",
                    "paid_amount": sum(amount for _on, amount in item.payments),
                    "changed_version": version,
                }
            )
            payments.extend(
                {
                    "payment_id": f"{item.invoice_id}-p{number}",
                    "invoice_id": item.invoice_id,
                    "amount": amount,
                    "currency": item.currency,
                    "paid_on": paid_on,
                    "recorded_at": now,
                    "origin": "import",
                }
                for number, (paid_on, amount) in enumerate(item.payments)
            )
        if invoices:
            session.execute(insert(Invoice), invoices)
        if payments:
            session.execute(insert(Payment), payments)


def replace_policy(store: Store, **changes: Any) -> int:
    """Put a new policy version in force with `changes` to the current document."""
    with store.writing() as session:
        current = policies.policy_in_force(session)
        document = {**current.document, **changes}
        session.add(
            SegmentationPolicy(
                version=current.version + 1,
                document=document,
                created_at=datetime.now(UTC),
                created_by="test",
            )
        )
        return current.version + 1


def start_run(
    client: TestClient, headers: dict[str, str], *, as_of: date = AS_OF, dry_run: bool = True
) -> dict[str, Any]:
    answer = client.post(
        "/v1/segmentation-runs",
        json={"as_of": as_of.isoformat(), "dry_run": dry_run},
        headers=headers,
    )
    assert answer.status_code == 201, answer.text
    body: dict[str, Any] = answer.json()
    return body


def all_moves(
    client: TestClient, headers: dict[str, str], run_id: str, limit: int = 1000
) -> list[dict[str, Any]]:
    """Every move of a run, page by page."""
    moves: list[dict[str, Any]] = []
    cursor: str | None = None
    while True:
        params: dict[str, Any] = {"limit": limit}
        if cursor is not None:
            params["cursor"] = cursor
        answer = client.get(f"/v1/segmentation-runs/{run_id}/moves", params=params, headers=headers)
        assert answer.status_code == 200, answer.text
        page = answer.json()
        moves.extend(page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            return moves


def classify(
    client: TestClient, headers: dict[str, str], as_of: date = AS_OF
) -> dict[str, dict[str, Any]]:
    """A dry run on a store where no one is assigned yet: every customer with invoices moves
    (from nothing), so its moves are the whole classification, by customer."""
    run = start_run(client, headers, as_of=as_of)
    moves = all_moves(client, headers, run["id"])
    assert len(moves) == run["classified"]
    return {move["customer_id"]: move for move in moves}


def payer(customer_id: str, late_days: list[int], amount: int = 10_000) -> list[Bill]:
    """Invoices due well inside the window, paid `late` days after due (0: on time)."""
    bills = []
    for number, late in enumerate(late_days):
        due_on = AS_OF - timedelta(days=60 + number)
        paid_on = due_on + timedelta(days=late)
        bills.append(
            bill(
                customer_id,
                f"{customer_id}-{number}",
                due_on=due_on,
                paid_on=paid_on,
                amount=amount,
            )
        )
    return bills


def sized(customer_id: str, amounts: list[int], **extra: Any) -> list[Bill]:
    """Three-plus invoices, the first paid 5 days late: an average payer (avg 1.67, share 1/3)."""
    bills = []
    for number, amount in enumerate(amounts):
        due_on = AS_OF - timedelta(days=60 + number)
        late = 5 if number == 0 else 0
        bills.append(
            bill(
                customer_id,
                f"{customer_id}-{number}",
                due_on=due_on,
                paid_on=due_on + timedelta(days=late),
                amount=amount,
                **extra,
            )
        )
    return bills


def shown(move: dict[str, Any]) -> tuple[Any, ...]:
    return move["payer_class"], move["value_tier"], move["to"]


def three_customers(store: Store) -> None:
    """c-good pays on time (net_30), c-poor late (pay_on_order), c-new has one invoice."""
    record(
        store,
        [*payer("c-good", [0, 0, 0]), *payer("c-poor", [30, 30, 30]), *payer("c-new", [0])],
    )


def looked_up(client: TestClient, headers: dict[str, str], customer_id: str) -> tuple[str, str]:
    body = client.get(f"/v1/customers/{customer_id}/terms", headers=headers).json()
    return body["segment"], body["source"]
