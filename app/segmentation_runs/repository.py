"""Every query about segmentation runs: the runs, their moves, and applying assignments.

Bulk writes go through COPY on PostgreSQL and executemany on SQLite. An applied run stages its
assignments in a temporary table, then one upsert writes every customer and one insert the
assignment history, so a hundred thousand customers take three statements, not 200,000.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from itertools import islice
from typing import Any, Final, NamedTuple

import orjson
from sqlalchemy import (
    Column,
    MetaData,
    String,
    Table,
    and_,
    case,
    insert,
    literal,
    or_,
    select,
    true,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.core.models import Customer, SegmentAssignment, SegmentationMove, SegmentationRun
from app.core.models.base import JSONDocument, UTCDateTime
from app.core.statements import copy_rows, on_postgresql

YIELD_PER: Final = 20_000
CHUNK: Final = 10_000
MOVE_COLUMNS: Final = tuple(column.name for column in SegmentationMove.__table__.columns)
STAGED_COLUMNS: Final = (
    "customer_id",
    "from_segment",
    "segment_key",
    "payer_class",
    "value_tier",
    "metrics",
)

_staging = MetaData()
staged = Table(
    "run_assignments",
    _staging,
    Column("customer_id", String(128), primary_key=True),
    Column("from_segment", String(64)),
    Column("segment_key", String(64), nullable=False),
    Column("payer_class", String(16)),
    Column("value_tier", String(16), nullable=False),
    Column("metrics", JSONDocument, nullable=False),
    prefixes=["TEMPORARY"],
    postgresql_on_commit="DROP",
)


class Assignment(NamedTuple):
    """What an applied run writes for one customer (`from_segment`: its assignment before)."""

    customer_id: str
    from_segment: str | None
    segment_key: str
    payer_class: str | None
    value_tier: str
    metrics: dict[str, Any]


def add_run(session: Session, run: SegmentationRun) -> None:
    session.add(run)
    session.flush()


def add_moves(session: Session, moves: Iterable[dict[str, Any]]) -> None:
    """Insert a run's moves (dicts with SegmentationMove's columns), streamed."""
    if on_postgresql(session):
        rows = ([_json(move[name]) for name in MOVE_COLUMNS] for move in moves)
        copy_rows(session, "segmentation_moves", MOVE_COLUMNS, rows)
        return
    for chunk in _batches(moves, CHUNK):
        session.execute(insert(SegmentationMove), list(chunk))


def apply_assignments(
    session: Session,
    assignments: Iterable[Assignment],
    *,
    run_id: str,
    by: str,
    at: datetime,
    version: int,
) -> None:
    """Write every assignment: classification and metrics on all; the segment, and a new
    changed_version (what caches reload by), only where the segment changes; a history row
    for each change."""
    connection = session.connection()
    staged.drop(connection, checkfirst=True)
    staged.create(connection)
    if on_postgresql(session):
        copy_rows(
            session, staged.name, STAGED_COLUMNS, ([*a[:5], _json(a.metrics)] for a in assignments)
        )
    else:
        for chunk in _batches(assignments, CHUNK):
            connection.execute(insert(staged), [a._asdict() for a in chunk])
    connection.execute(_upsert(session, run_id, by, at, version))
    changes = select(
        staged.c.customer_id,
        literal("run"),
        staged.c.from_segment,
        staged.c.segment_key,
        literal(run_id),
        literal(by),
        literal(at, UTCDateTime()),
    ).where(staged.c.from_segment.is_distinct_from(staged.c.segment_key))
    history = ["customer_id", "kind", "from_segment", "to_segment", "run_id"]
    history += ["assigned_by", "assigned_at"]
    connection.execute(insert(SegmentAssignment).from_select(history, changes))
    staged.drop(connection)


def _upsert(session: Session, run_id: str, by: str, at: datetime, version: int) -> Any:
    dialect = postgresql if on_postgresql(session) else sqlite
    source = select(
        staged.c.customer_id,
        staged.c.segment_key,
        literal(by),
        literal(at, UTCDateTime()),
        staged.c.payer_class,
        staged.c.value_tier,
        staged.c.metrics,
        literal(run_id),
        literal(version),
    ).where(true())  # SQLite needs a WHERE to tell INSERT ... SELECT from ON CONFLICT
    names = ["customer_id", "segment_key", "assigned_by", "assigned_at", "payer_class"]
    names += ["value_tier", "metrics", "classified_run_id", "changed_version"]
    statement = dialect.insert(Customer).from_select(names, source)
    new = statement.excluded
    moved = Customer.segment_key.is_distinct_from(new.segment_key)
    return statement.on_conflict_do_update(
        index_elements=[Customer.customer_id],
        set_={
            "segment_key": new.segment_key,
            "assigned_by": new.assigned_by,
            "assigned_at": new.assigned_at,
            "payer_class": new.payer_class,
            "value_tier": new.value_tier,
            "metrics": new.metrics,
            "classified_run_id": new.classified_run_id,
            "changed_version": case((moved, new.changed_version), else_=Customer.changed_version),
        },
    )


def run(session: Session, run_id: str) -> SegmentationRun | None:
    return session.get(SegmentationRun, run_id)


def runs_page(
    session: Session, after: tuple[datetime, str] | None, limit: int
) -> list[SegmentationRun]:
    """Up to limit+1 runs, newest first, after the (created_at, id) of the last one seen."""
    order = (SegmentationRun.created_at.desc(), SegmentationRun.id.desc())
    query = select(SegmentationRun).order_by(*order).limit(limit + 1)
    if after is not None:
        created_at, run_id = after
        query = query.where(
            or_(
                SegmentationRun.created_at < created_at,
                and_(SegmentationRun.created_at == created_at, SegmentationRun.id < run_id),
            )
        )
    return list(session.scalars(query))


def moves_page(
    session: Session, run_id: str, after: str | None, limit: int
) -> list[SegmentationMove]:
    """Up to limit+1 moves of a run by customer_id, after `after`."""
    query = (
        select(SegmentationMove)
        .where(SegmentationMove.run_id == run_id)
        .order_by(SegmentationMove.customer_id)
        .limit(limit + 1)
    )
    if after is not None:
        query = query.where(SegmentationMove.customer_id > after)
    return list(session.scalars(query))


def _batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _json(value: Any) -> Any:
    """COPY takes values as they are: documents go in as JSON text."""
    return orjson.dumps(value).decode() if isinstance(value, dict) else value
