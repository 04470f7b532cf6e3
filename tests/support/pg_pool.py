"""Migrated PostgreSQL databases for the tests, emptied between tests instead of copied anew.

A copy of the template (``CREATE DATABASE ... TEMPLATE``) and its ``DROP`` cost a test about half
a second on a busy 2-core machine (150 ms on an idle one); putting a used database back as the
template left it takes two statements (about 40 ms on the busy machine), on a connection the pool
keeps to each of its databases: a new one cost PostgreSQL 24 ms of CPU a test (the backend's start
and its catalog caches), the kept one 6 ms.
Side by side on 58 PostgreSQL tests (tests/segments, workflows, customers), the median setup
went from 2.27 to 1.51 s on a heavily loaded machine, beside 1.0 s for their SQLite twins.
After each test :meth:`DatabasePool.release`:

* drops the database (the next test gets a fresh copy) if anything else is still connected to it
  (a process the test left running could write into the next test's store), or if its schema is
  no longer the template's (a test ran DDL: a downgrade, a dropped trigger, a changed default...);
* else, in one transaction with triggers off (``session_replication_role = replica``, as the
  append-only audit table refuses DELETE otherwise, and foreign keys are triggers too), deletes
  every row, puts back the rows the migrations seeded, exactly as the template holds them, and
  sets every sequence back to the template's state.

What a test sees is what a fresh copy holds: same schema, same rows, same next ids.
"""

from __future__ import annotations

import uuid
from typing import Any

import psycopg
from psycopg import sql
from psycopg.types.json import Json

from tests.support.postgres import PostgresCluster

__all__ = ["DatabasePool", "schema_fingerprint"]

_SCHEMAS = (
    "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp)'"
)

# Everything about the database's own objects a test could change with DDL. Stored expressions
# (defaults, index expressions) and internal triggers' names hold OIDs: a copy keeps the
# template's, but objects dropped and made again (a downgrade and upgrade) get new ones, and
# the fingerprint then differs, which only costs that test's database a fresh copy.
_FINGERPRINT = f"""
SELECT md5(coalesce(string_agg(item, E'\\n' ORDER BY item), '')) FROM (
  SELECT format('schema %s %s %s', n.nspname, n.nspacl, pg_get_userbyid(n.nspowner)) AS item
    FROM pg_namespace n WHERE {_SCHEMAS}
  UNION ALL
  SELECT format('relation %s.%s %s %s %s %s %s %s %s', n.nspname, c.relname, c.relkind,
                c.relacl, pg_get_userbyid(c.relowner), c.relrowsecurity, c.relforcerowsecurity,
                c.reloptions, c.relpersistence)
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE {_SCHEMAS}
  UNION ALL
  SELECT format('column %s %s %s %s %s %s %s %s %s', a.attrelid::regclass, a.attnum, a.attname,
                a.atttypid::regtype, a.atttypmod, a.attnotnull, d.adbin, a.attidentity,
                a.attgenerated)
    FROM pg_attribute a
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
   WHERE a.attnum > 0 AND NOT a.attisdropped AND a.attrelid IN (
         SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE {_SCHEMAS})
  UNION ALL
  SELECT format('constraint %s %s %s %s', n.nspname, c.conrelid::regclass, c.conname,
                pg_get_constraintdef(c.oid))
    FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE {_SCHEMAS}
  UNION ALL
  SELECT format('index %s %s %s %s %s %s %s %s', i.indexrelid::regclass, i.indrelid::regclass,
                i.indkey, i.indclass, i.indisunique, i.indisprimary, i.indexprs, i.indpred)
    FROM pg_index i WHERE i.indrelid IN (
         SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE {_SCHEMAS})
  UNION ALL
  SELECT CASE WHEN t.tgisinternal
              THEN format('internal trigger %s %s', t.tgrelid::regclass, t.tgenabled)
              ELSE format('trigger %s %s', t.tgenabled, pg_get_triggerdef(t.oid)) END
    FROM pg_trigger t
  UNION ALL
  SELECT format('function %s %s %s %s %s', p.oid::regprocedure, p.prokind, md5(p.prosrc),
                p.proconfig, p.proacl)
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE {_SCHEMAS}
  UNION ALL
  SELECT format('type %s %s %s', t.oid::regtype, t.typtype, pg_get_userbyid(t.typowner))
    FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE {_SCHEMAS}
  UNION ALL
  SELECT format('enum %s %s %s', e.enumtypid::regtype, e.enumsortorder, e.enumlabel)
    FROM pg_enum e
  UNION ALL
  SELECT format('sequence %s %s %s %s %s %s %s %s', s.seqrelid::regclass, s.seqtypid::regtype,
                s.seqstart, s.seqincrement, s.seqmax, s.seqmin, s.seqcache, s.seqcycle)
    FROM pg_sequence s
  UNION ALL
  SELECT format('rule %s %s %s %s %s', r.ev_class::regclass, r.rulename, r.ev_type,
                r.ev_enabled, md5(r.ev_action::text))
    FROM pg_rewrite r WHERE r.ev_class >= 16384
  UNION ALL
  SELECT format('policy %s %s %s %s %s %s %s', p.polrelid::regclass, p.polname, p.polcmd,
                p.polpermissive, p.polroles, md5(p.polqual::text), md5(p.polwithcheck::text))
    FROM pg_policy p
  UNION ALL
  SELECT format('extension %s %s', extname, extversion) FROM pg_extension
  UNION ALL
  SELECT format('event trigger %s %s %s', evtname, evtevent, evtenabled) FROM pg_event_trigger
  UNION ALL
  SELECT format('setting %s %s', pg_get_userbyid(s.setrole), s.setconfig)
    FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase
   WHERE d.datname = current_database()
  UNION ALL
  SELECT format('database %s %s', datacl, pg_get_userbyid(datdba))
    FROM pg_database WHERE datname = current_database()
) items
"""

_OTHERS = """
SELECT count(*) FROM pg_stat_activity
 WHERE datname = current_database() AND pid <> pg_backend_pid()
   AND backend_type = 'client backend'
"""

_TABLES = f"""
SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND {_SCHEMAS}
 ORDER BY 1, 2
"""

_INSERT = "INSERT INTO {table} SELECT * FROM json_populate_recordset(NULL::{table}, {rows});"

_SEQUENCES = f"""
SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind = 'S' AND {_SCHEMAS}
 ORDER BY 1, 2
"""


def _connect(cluster: PostgresCluster, dbname: str) -> psycopg.Connection[Any]:
    return psycopg.connect(
        host="127.0.0.1",
        port=cluster.port,
        user="postgres",
        dbname=dbname,
        autocommit=True,
        connect_timeout=10,
    )


def schema_fingerprint(connection: psycopg.Connection[Any]) -> str:
    """A digest of the connected database's schema: tables, columns, constraints, indexes,
    triggers (and whether each is enabled), functions, types, sequences, rules, policies,
    rights, owners and per-database settings."""
    row = connection.execute(_FINGERPRINT).fetchone()
    assert row is not None
    return str(row[0])


class DatabasePool:
    """Databases copied from ``template`` on one cluster, handed to one test at a time."""

    def __init__(self, cluster: PostgresCluster, template: str) -> None:
        self._cluster = cluster
        self._template = template
        self._free: list[str] = []
        self._connections: dict[str, psycopg.Connection[Any]] = {}
        with _connect(cluster, template) as conn:
            self._fingerprint = schema_fingerprint(conn)
            self._reset = self._reset_statement(conn)

    @staticmethod
    def _reset_statement(conn: psycopg.Connection[Any]) -> bytes:
        """One script that turns a used copy back into the template's state (read from it)."""
        parts: list[sql.Composable] = [
            sql.SQL("BEGIN; SET LOCAL session_replication_role = replica;")
        ]
        tables = [sql.Identifier(schema, name) for schema, name in conn.execute(_TABLES)]
        for table in tables:
            parts.append(sql.SQL("DELETE FROM {};").format(table))
        for table in tables:
            seeded = conn.execute(
                sql.SQL("SELECT json_agg(t ORDER BY t.ctid) FROM {} AS t").format(table)
            ).fetchone()
            if seeded is not None and seeded[0] is not None:
                rows = sql.Literal(Json(seeded[0]))
                parts.append(sql.SQL(_INSERT).format(table=table, rows=rows))
        for schema, name in conn.execute(_SEQUENCES).fetchall():
            sequence = sql.Identifier(schema, name)
            state = conn.execute(
                sql.SQL("SELECT last_value, is_called FROM {}").format(sequence)
            ).fetchone()
            assert state is not None
            parts.append(
                sql.SQL("SELECT setval({}, {}, {});").format(
                    sql.Literal(sequence.as_string(conn)),
                    sql.Literal(state[0]),
                    sql.Literal(state[1]),
                )
            )
        parts.append(sql.SQL("COMMIT;"))
        return sql.SQL("\n").join(parts).as_bytes(conn)

    def acquire(self) -> str:
        """A database in the template's state, for one test; returns its name."""
        if self._free:
            return self._free.pop()
        name = f"t_{uuid.uuid4().hex[:12]}"
        self._cluster.create_database(name, template=self._template)
        return name

    def release(self, name: str) -> None:
        """Take the database back: emptied for the next test, or dropped (see the module)."""
        try:
            reusable = self._empty(name)
        except psycopg.Error:
            reusable = False
        if reusable:
            self._free.append(name)
        else:
            self._drop(name)

    def close(self) -> None:
        """Drop the databases waiting for a test, and close the connections to the others."""
        while self._free:
            self._drop(self._free.pop())
        while self._connections:
            self._connections.popitem()[1].close()

    def _drop(self, name: str) -> None:
        connection = self._connections.pop(name, None)
        if connection is not None:
            connection.close()
        self._cluster.drop_database(name)

    def _empty(self, name: str) -> bool:
        conn = self._connections.get(name)
        if conn is None or conn.closed:
            conn = self._connections[name] = _connect(self._cluster, name)
        row = conn.execute(_OTHERS).fetchone()
        if row is None or row[0] != 0:
            return False
        if schema_fingerprint(conn) != self._fingerprint:
            return False
        conn.execute(self._reset)
        return True
