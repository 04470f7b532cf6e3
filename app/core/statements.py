"""How repositories say what PostgreSQL and SQLite each do best: rows in bulk (COPY, or one
JSON document), an id list as one array parameter, and which of the two a session is on."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, cast

import orjson
from sqlalchemy import (
    JSON,
    ColumnElement,
    Row,
    String,
    Table,
    TextClause,
    TextualSelect,
    any_,
    bindparam,
    insert,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import InstrumentedAttribute, Session

from app.core.models.base import Base, UTCDateTime


def on_postgresql(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def one_of(
    session: Session, column: InstrumentedAttribute[str], ids: list[str]
) -> ColumnElement[bool]:
    """`column IN (...)`; on PostgreSQL `column = ANY(array)`: one parameter instead of a
    thousand, so psycopg's query cache holds the statement instead of parsing it each time."""
    if on_postgresql(session):
        return column == any_(bindparam(None, ids, type_=ARRAY(String)))
    return column.in_(ids)


def insert_rows(
    session: Session,
    model: type[Base],
    rows: Sequence[Mapping[str, Any]],
    returning: tuple[str, ...] = (),
) -> Sequence[Row[Any]]:
    """INSERT rows (mappings of the same columns) in one statement; on PostgreSQL the rows go
    as one JSON document, read back into typed columns by jsonb_to_recordset: one parameter and
    a statement text the same whatever the count, which psycopg parses once, where a multi-row
    VALUES of a thousand rows is parsed afresh each time. Timestamps must be timezone-aware (as
    UTCDateTime requires); a JSON column's None is JSON null, as the JSON type binds it.
    `returning`: columns answered for each row, in no particular order."""
    if not rows:
        return []
    table = cast(Table, model.__table__)
    if not on_postgresql(session):
        if not returning:
            session.execute(insert(table), list(rows))
            return []
        answered = (table.c[name] for name in returning)
        statement = insert(table).returning(*answered, sort_by_parameter_order=True)
        return session.execute(statement, list(rows)).all()
    names = tuple(rows[0])
    for name in names:
        if isinstance(table.c[name].type, UTCDateTime) and any(
            row[name] is not None and row[name].tzinfo is None for row in rows
        ):
            raise ValueError(f"naive datetime given to a UTC column ({name})")
    unnested = _from_document(session.get_bind().dialect, table, names, returning)
    result = session.execute(unnested, {"rows": orjson.dumps(rows).decode()})
    return result.all() if returning else []


@functools.cache
def _from_document(
    dialect: Dialect, table: Table, names: tuple[str, ...], returning: tuple[str, ...]
) -> TextClause | TextualSelect:
    quote = dialect.identifier_preparer.quote
    fields = ", ".join(
        f"{quote(name)} {table.c[name].type.compile(dialect=dialect)}" for name in names
    )
    values = ", ".join(
        f"COALESCE(r.{quote(name)}, 'null')"
        if isinstance(table.c[name].type, JSON)
        else f"r.{quote(name)}"
        for name in names
    )
    statement = (
        f"INSERT INTO {quote(table.name)} ({', '.join(quote(name) for name in names)}) "
        f"SELECT {values} FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS r({fields})"
    )
    if not returning:
        return text(statement)
    answered = ", ".join(quote(name) for name in returning)
    return text(f"{statement} RETURNING {answered}").columns(*(table.c[n] for n in returning))


def copy_rows(
    session: Session, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    """COPY rows into a PostgreSQL table in the session's transaction: a fraction of the CPU an
    executemany of INSERTs costs. Values go in as given (no column type processing); driver
    errors come out as SQLAlchemy's, so an outage is still told apart from a bad row."""
    statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    connection = session.connection()
    driver = connection.connection.driver_connection
    assert driver is not None
    dbapi = connection.dialect.loaded_dbapi
    try:
        with driver.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
    except dbapi.Error as error:
        lost = connection.dialect.is_disconnect(error, connection.connection, None)
        if lost:
            connection.invalidate(error)
        raise DBAPIError.instance(
            statement, None, error, dbapi.Error, connection_invalidated=lost
        ) from error
