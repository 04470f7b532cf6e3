"""Every query about customers' terms state."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.models import Customer


def get(session: Session, customer_id: str) -> Customer | None:
    return session.get(Customer, customer_id)


def get_or_new(session: Session, customer_id: str, version: int) -> Customer:
    row = session.get(Customer, customer_id)
    if row is None:
        row = Customer(customer_id=customer_id, changed_version=version)
        session.add(row)
    return row
