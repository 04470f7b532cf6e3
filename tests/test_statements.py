"""The bulk statements repositories share (app/core/statements.py), and the one checkout builds
once, on both stores: rows in as they were given, a naive timestamp refused before anything is
written, pairs matched exactly."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import StatementError

from app.checkout import repository as checkout
from app.core.models import AuditEvent, LedgerChange, OpenOrder
from app.core.statements import insert_rows
from app.core.store import Store

AT = datetime(2026, 11, 20, 12, 30, 15, 123456, tzinfo=UTC)


def audit_row(n: int, **changes: object) -> dict[str, object]:
    row: dict[str, object] = {
        "occurred_at": AT,
        "actor": "billing",
        "action": "invoice.routed",
        "entity_type": "invoice",
        "entity_id": f"inv-{n}",
        "reason": None,
        "request_id": None,
        "before": None,
        "after": {"amount": n, "note": 'quotes " and \\ and é'},
        "prev_hash": f"{n:064x}",
        "hash": f"{n + 1000:064x}",
    }
    return row | changes


def test_rows_read_back_as_given_with_a_documents_none_as_json_null(store: Store) -> None:
    rows = [audit_row(n) for n in range(3)]
    with store.ledger() as session:
        insert_rows(session, AuditEvent, rows)
    with store.reading() as session:
        stored = session.scalars(select(AuditEvent).order_by(AuditEvent.hash)).all()
        kept = [{name: getattr(event, name) for name in rows[0]} for event in stored]
        # JSON null, not SQL NULL: as the JSON column type has always bound None.
        nulls = session.scalar(select(func.count()).where(AuditEvent.before.is_(None)))
    assert kept == rows
    assert nulls == 0


def test_rows_answer_the_columns_asked_for(store: Store) -> None:
    figures = [
        {"at": AT, "customer_id": f"c-{n}", "currency": "EUR", "owed": n, "paid_on": None}
        for n in range(3)
    ] + [
        {"at": AT, "customer_id": "c-9", "currency": "USD", "owed": 5, "paid_on": date(2026, 1, 2)}
    ]
    with store.ledger() as session:
        answered = insert_rows(session, LedgerChange, figures, returning=("seq", "customer_id"))
    assert sorted(row.customer_id for row in answered) == ["c-0", "c-1", "c-2", "c-9"]
    assert len({row.seq for row in answered}) == 4
    with store.reading() as session:
        paid = session.scalar(select(LedgerChange.paid_on).where(LedgerChange.customer_id == "c-9"))
    assert paid == date(2026, 1, 2)


def test_a_naive_timestamp_is_refused_and_nothing_is_written(store: Store) -> None:
    # On SQLite the column type refuses it, as SQLAlchemy's StatementError.
    refused = (ValueError, StatementError)
    with pytest.raises(refused, match="naive"), store.ledger() as session:
        insert_rows(session, AuditEvent, [audit_row(1, occurred_at=datetime(2026, 1, 1))])
    with store.reading() as session:
        assert session.scalar(select(func.count()).select_from(AuditEvent)) == 0


def test_holds_are_let_go_only_as_pairs(store: Store) -> None:
    """checkout's let_go matches (order, customer) pairs, on PostgreSQL as two arrays unnested
    side by side: a pair whose order and customer each appear, but not together, ends nothing."""
    held = [("o-1", "c-1"), ("o-2", "c-2"), ("o-1", "c-2")]
    with store.ledger() as session:
        for n, (order_id, customer_id) in enumerate(held):
            session.add(
                OpenOrder(
                    order_id=order_id,
                    customer_id=customer_id,
                    decision_id=f"d-{n}",
                    currency="EUR",
                    amount=1,
                    expires_at=AT,
                )
            )
    with store.ledger() as session:
        ended = checkout.let_go(session, [("o-1", "c-1"), ("o-2", "c-1"), ("o-9", "c-9")])
    assert ended == [("c-1", "o-1", "d-0")]
    with store.reading() as session:
        left = session.execute(select(OpenOrder.order_id, OpenOrder.customer_id)).all()
    assert sorted(tuple(row) for row in left) == [("o-1", "c-2"), ("o-2", "c-2")]
