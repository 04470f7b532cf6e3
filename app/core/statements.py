"""How repositories say what PostgreSQL and SQLite each do best: rows in bulk with COPY, an
id list as one array parameter, and which of the two a session is on."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, String, any_, bindparam
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import InstrumentedAttribute, Session


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
