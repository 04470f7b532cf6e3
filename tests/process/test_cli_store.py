"""Every `termsgate` command that uses the store works on a fresh one, from any folder, names
the store it uses, and names an unreachable one with the driver's reason (never a password)."""

from __future__ import annotations

import hashlib
import os
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.harness import cli_env
from tests.support.history_files import row, write_csv
from tests.support.postgres import PostgresCluster, free_port
from tests.support.server import TERMSGATE, termsgate

pytestmark = pytest.mark.process

COMMANDS = {
    "apikey create": ("apikey", "create", "--name", "ops", "--scope", "admin"),
    "apikey list": ("apikey", "list"),
    "audit verify": ("audit", "verify"),
    "segment": ("segment",),
    "import-history": ("import-history", "history.csv"),
    "migrate": ("migrate",),
}


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A store no command has used: no file yet (SQLite), an empty database (PostgreSQL)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.db'}"
        return
    cluster: PostgresCluster = request.getfixturevalue("pg_cluster")
    name = f"f_{uuid.uuid4().hex[:12]}"
    yield cluster.create_database(name)
    cluster.drop_database(name)


def test_apikey_create_works_on_a_fresh_store_before_any_serve(fresh_store: str) -> None:
    done = termsgate(
        "apikey", "create", "--name", "ops", "--scope", "admin", env=cli_env(fresh_store)
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1].startswith("tgk_")
    assert "termsgate: store " in done.stderr


@pytest.mark.parametrize("command", list(COMMANDS))
def test_each_store_command_works_on_a_fresh_sqlite_store(command: str, tmp_path: Path) -> None:
    write_csv(tmp_path / "history.csv", [row()])
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    done = termsgate(*COMMANDS[command], env=cli_env(url), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert f"termsgate: store sqlite:///{tmp_path / 'fresh.db'}" in done.stderr


def test_a_command_from_another_folder_says_the_absolute_path_of_its_store(
    tmp_path: Path,
) -> None:
    """The default store is termsgate.db in the current folder: the command says which."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {name: value for name, value in os.environ.items() if name != "TERMSGATE_DATABASE_URL"}
    done = subprocess.run(
        [TERMSGATE, "apikey", "create", "--name", "ops", "--scope", "admin"],
        env=env,
        cwd=elsewhere,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert (elsewhere / "termsgate.db").is_file()
    said = done.stderr.splitlines()[0]
    assert said.startswith(f"termsgate: store sqlite:///{elsewhere / 'termsgate.db'} (a new file")
    again = termsgate("apikey", "list", env=cli_env(f"sqlite:///{elsewhere / 'termsgate.db'}"))
    assert again.returncode == 0, again.stderr
    assert "(a new file" not in again.stderr


def test_an_unreachable_store_is_named_with_the_drivers_reason_and_no_password() -> None:
    port = free_port()  # nothing listens there
    url = f"postgresql://ops:s3cret-pw@127.0.0.1:{port}/termsgate"
    done = termsgate("apikey", "create", "--name", "ops", "--scope", "admin", env=cli_env(url))
    assert done.returncode == 1
    told = [line for line in done.stderr.splitlines() if line.startswith("termsgate: the store")]
    assert len(told) == 1, done.stderr
    assert f"the store postgresql://ops@127.0.0.1:{port}/termsgate cannot be reached: " in told[0]
    assert "refused" in told[0].lower()
    assert "s3cret-pw" not in done.stderr + done.stdout
    assert "Traceback" not in done.stderr


def test_a_sqlite_store_in_a_missing_folder_is_named_with_why(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'no-such-folder' / 'termsgate.db'}"
    done = termsgate("audit", "verify", env=cli_env(url))
    assert done.returncode == 1
    assert f"there is no folder {tmp_path / 'no-such-folder'}" in done.stderr
    assert "Traceback" not in done.stderr


def test_apikey_list_shows_name_owner_scopes_created_revoked_and_never_a_token(
    tmp_path: Path,
) -> None:
    env = cli_env(f"sqlite:///{tmp_path / 'keys.db'}")
    made = termsgate(
        "apikey", "create", "--name", "ann-finance", "--owner", "ann", "--scope",
        "exceptions:approve", env=env,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    token = made.stdout.strip().splitlines()[-1]
    other = termsgate("apikey", "create", "--name", "ops", "--scope", "admin", env=env)
    assert other.returncode == 0, other.stderr
    assert termsgate("apikey", "revoke", "ops", env=env).returncode == 0
    listed = termsgate("apikey", "list", env=env)
    assert listed.returncode == 0, listed.stderr
    header, ann, ops = listed.stdout.splitlines()
    assert header.split() == ["NAME", "OWNER", "SCOPES", "CREATED", "REVOKED"]
    assert ann.split()[:3] == ["ann-finance", "ann", "exceptions:approve"]
    assert ann.split()[-1] == "-"
    assert ops.split()[:3] == ["ops", "ops", "admin"]
    assert ops.split()[-1].endswith("Z")
    digest = hashlib.sha256(token.encode()).hexdigest()
    assert token not in listed.stdout
    assert digest not in listed.stdout


def test_a_reachable_store_is_named_without_its_password(pg_cluster: PostgresCluster) -> None:
    """The cluster trusts loopback, so the password is never checked: only never printed."""
    name = f"f_{uuid.uuid4().hex[:12]}"
    url = pg_cluster.create_database(name).replace("@127.0.0.1", ":s3cret-pw@127.0.0.1")
    done = termsgate("apikey", "list", env=cli_env(url))
    assert done.returncode == 0, done.stderr
    said = done.stderr.splitlines()[0]
    assert (
        said == f"termsgate: store postgresql+psycopg://postgres@127.0.0.1:{pg_cluster.port}/{name}"
    )
    assert "s3cret-pw" not in done.stderr + done.stdout
