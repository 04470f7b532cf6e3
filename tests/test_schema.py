"""The migrations build the schema the models describe, with the seed a fresh store needs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, func, inspect, select
from sqlalchemy.orm import Session

from app.core import schema
from app.core.models import Base, Segment, SegmentationPolicy, StoreVersion, Workflow


def test_models_and_migrations_agree(database_url: str) -> None:
    engine = create_engine(database_url)
    with engine.connect() as connection:
        differences = compare_metadata(
            MigrationContext.configure(connection, opts={"compare_type": True}), Base.metadata
        )
    engine.dispose()
    assert differences == []


def test_fresh_store_holds_the_default_segments_workflows_and_policy(database_url: str) -> None:
    engine = create_engine(database_url)
    with Session(engine) as session:
        segments = {row.key: row for row in session.scalars(select(Segment))}
        workflows = set(session.scalars(select(Workflow.key)))
        policy = session.scalars(select(SegmentationPolicy)).one()
        version = session.scalar(select(StoreVersion.version))
    engine.dispose()
    assert {key: (row.terms_type, row.net_days) for key, row in segments.items()} == {
        "pay_on_order": ("pay_on_order", 0),
        "net_15": ("net", 15),
        "net_30": ("net", 30),
    }
    assert segments["pay_on_order"].contact_plan == []
    assert segments["net_15"].contact_plan == [
        {"offset_days": -5, "relative_to": "due", "channel": "phone", "kind": "service_check"},
        {"offset_days": 3, "relative_to": "due", "channel": "email", "kind": "reminder"},
    ]
    assert segments["net_30"].contact_plan == [
        {"offset_days": 3, "relative_to": "due", "channel": "email", "kind": "reminder"}
    ]
    assert all(row.workflow_key == key for key, row in segments.items())
    assert workflows == {"pay_on_order", "net_15", "net_30", "finance_approvals"}
    assert policy.version == 1
    assert policy.document["new_customer_segment"] == "pay_on_order"
    assert policy.document["matrix"]["poor"]["standard"] == "pay_on_order"
    assert version == 1


def test_upgrade_twice_is_a_no_op(database_url: str) -> None:
    engine = create_engine(database_url)
    schema.upgrade(engine)
    schema.upgrade(engine)
    assert schema.is_current(engine)
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Segment)) == 3
    engine.dispose()


def test_upgrading_a_current_store_does_not_load_the_migrations(database_url: str) -> None:
    """Every command upgrades its store first: at the head that is one query, not Alembic and
    every migration script (about a third of a short command's CPU)."""
    probe = (
        "import sys; from sqlalchemy import create_engine; from app.core import schema; "
        f"schema.upgrade(create_engine({database_url!r})); print('alembic' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_migrations_are_reversible(database_url: str) -> None:
    engine = create_engine(database_url)
    with engine.connect() as connection:
        command.downgrade(schema.alembic_config(connection), "base")
        connection.commit()
    tables = set(inspect(engine).get_table_names()) - {"alembic_version"}
    assert tables == set()
    schema.upgrade(engine)
    assert schema.is_current(engine)
    assert set(inspect(engine).get_table_names()) >= set(Base.metadata.tables)
    engine.dispose()


def test_the_head_a_server_checks_against_is_the_newest_migration() -> None:
    """A new migration moves schema.HEAD with it, or servers would call a migrated store stale."""
    newest = ScriptDirectory.from_config(schema.alembic_config()).get_current_head()
    assert newest == schema.HEAD


def test_a_store_before_its_first_migration_is_not_current(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    try:
        assert schema.current_revision(engine) is None
        assert not schema.is_current(engine)
        schema.upgrade(engine)
        assert schema.current_revision(engine) == schema.HEAD
        assert schema.is_current(engine)
    finally:
        engine.dispose()
