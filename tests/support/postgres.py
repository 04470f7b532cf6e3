"""A private, throw-away PostgreSQL cluster for the test suite and the benchmarks.

Real server, no mocks: ``initdb`` into a directory the caller owns, ``pg_ctl start`` on a free
port on 127.0.0.1, tuned for speed (no fsync), and stopped again at interpreter exit at the latest.
"""

from __future__ import annotations

import atexit
import contextlib
import itertools
import os
import pwd
import re
import shlex
import shutil
import signal
import socket
import stat
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

import psycopg
from psycopg import sql
from psycopg.rows import TupleRow

__all__ = ["PostgresCluster", "free_port"]

_TIMEOUT_S = 60
_OS_USER = "postgres"
_SUPERUSER = "postgres"
# A unix socket path is limited to 107 bytes; keep room for "/.s.PGSQL.65535.lock".
_MAX_SOCKET_DIR_LEN = 80
_INSTALL_HINT = (
    "PostgreSQL server binaries (initdb, pg_ctl) not found; "
    "install them with `apt-get install -y postgresql` (`make postgres-server` does that)"
)
_SETTINGS: dict[str, str] = {
    "listen_addresses": "'127.0.0.1'",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "300",
    "shared_buffers": "128MB",
    "logging_collector": "off",
    "log_min_messages": "warning",
    "log_timezone": "'UTC'",
    "timezone": "'UTC'",
}


# The ports free_port hands out: a block of this process's own, below the kernel's ephemeral
# range (32768-60999), so that neither another process's bind to port 0 nor an outgoing
# connection takes one between the check and the server's bind. From bind(0), two xdist
# workers' servers could get the same port: one then fails to bind, and its test, having seen
# the other's /healthz/ready answer 200, talks to the other test's store (a CI run's 401 for a
# key its test had just made looked like that).
_PORTS_FROM = 20000
_PORT_BLOCK = 1000
_PORT_BLOCKS = 12  # 20000-31999: the main process's block, then one per xdist worker


def _port_block() -> list[int]:
    """This process's block, from an offset of its pid's (a command a worker starts inherits
    the worker's block, not its place in it)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")  # "gw0", "gw1", ...
    index = int(worker[2:]) + 1 if worker[2:].isdigit() else 0
    start = _PORTS_FROM + (index % _PORT_BLOCKS) * _PORT_BLOCK
    offset = os.getpid() % _PORT_BLOCK
    return [*range(start + offset, start + _PORT_BLOCK), *range(start, start + offset)]


_next_port = itertools.cycle(_port_block())


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free now, and that no other process of the suite is
    handed: the next one of this process's block that binds."""
    for _ in range(_PORT_BLOCK):
        port = next(_next_port)
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:  # in use, or closing (TIME_WAIT)
                continue
            return port
    raise RuntimeError("no free port in this process's block")


def _version_key(path: Path) -> tuple[int, ...] | None:
    # /usr/lib/postgresql/<version>/bin/initdb; <version> is "15", "9.6", ...
    parts = path.parent.parent.name.split(".")
    if not all(part.isdigit() for part in parts):
        return None
    return tuple(int(part) for part in parts)


def _find_binaries() -> tuple[str, str]:
    """(initdb, pg_ctl): the newest Debian-style install, else whatever is on PATH."""
    candidates: list[tuple[tuple[int, ...], Path]] = []
    for initdb in Path("/usr/lib/postgresql").glob("*/bin/initdb"):
        key = _version_key(initdb)
        if key is not None and (initdb.parent / "pg_ctl").exists():
            candidates.append((key, initdb.parent))
    if candidates:
        bindir = max(candidates)[1]
        return str(bindir / "initdb"), str(bindir / "pg_ctl")
    initdb_path = shutil.which("initdb")
    pg_ctl_path = shutil.which("pg_ctl")
    if initdb_path and pg_ctl_path:
        return initdb_path, pg_ctl_path
    raise RuntimeError(_INSTALL_HINT)


def _traversable_by(path: Path, uid: int, gids: set[int]) -> bool:
    """Whether every directory from / down to ``path`` can be entered by that user."""
    for directory in [path, *path.parents]:
        try:
            st = directory.stat()
        except OSError:
            return False
        if st.st_uid == uid:
            bit = stat.S_IXUSR
        elif st.st_gid in gids:
            bit = stat.S_IXGRP
        else:
            bit = stat.S_IXOTH
        if not st.st_mode & bit:
            return False
    return True


def _tail(path: Path, lines: int = 40) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        return f"(no log at {path}: {exc})"
    return "\n".join(text.splitlines()[-lines:])


class PostgresCluster:
    """One PostgreSQL server with its own data directory, port and socket directory.

    ``start()`` runs ``initdb`` the first time, ``stop()``/``kill()`` take the server down
    (cleanly / like a crash) and ``restart()`` brings it back on the same port with the same data.

    The server runs with ``fsync=off`` and ``synchronous_commit=off``: after ``kill()`` (an
    immediate shutdown, i.e. a simulated crash) transactions committed in the last few hundred
    milliseconds may be lost, exactly as after a real crash with those settings. A session that
    needs a commit to survive ``kill()`` can ``SET synchronous_commit = on`` first.

    When running as root the server runs as the ``postgres`` OS user. If ``postgres`` cannot
    reach ``base_dir`` (pytest's ``tmp_path`` lives under a 0700 root directory) the cluster's
    files go to a private directory under the system temp dir instead, removed at interpreter
    exit; ``base_dir / "postgres.log"`` is then a symlink to the server log.
    """

    def __init__(self, base_dir: Path) -> None:
        self._base_dir = Path(base_dir).resolve()
        self._initdb_bin, self._pg_ctl_bin = _find_binaries()
        self._as_root = os.geteuid() == 0
        self._pw = self._postgres_user() if self._as_root else None
        self._runtime_dir: Path | None = None
        self._external_runtime = False
        self._port: int | None = None
        self._running = False
        self._initialized = False
        self._atexit_registered = False

    # ------------------------------------------------------------------ public API

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("the cluster has not been started yet")
        return self._port

    @property
    def data_dir(self) -> Path:
        return self._runtime() / "data"

    @property
    def socket_dir(self) -> Path:
        return self._runtime() / "sock"

    @property
    def log_path(self) -> Path:
        return self._runtime() / "postgres.log"

    @property
    def running(self) -> bool:
        return self._running

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql+psycopg://{_SUPERUSER}@127.0.0.1:{self.port}/{dbname}"

    def start(self) -> None:
        """Create the cluster if needed and start the server (no-op if already running)."""
        if self._running:
            return
        if not self._atexit_registered:
            atexit.register(self._cleanup_at_exit)
            self._atexit_registered = True
        if not self._initialized:
            self._initdb()
        if self._port is not None:
            self._pg_ctl_start(self._port)
            return
        # The port is only reserved once the server binds it; retry if someone else got it first.
        last_error: RuntimeError | None = None
        for _ in range(3):
            port = free_port()
            try:
                self._pg_ctl_start(port)
            except RuntimeError as exc:
                last_error = exc
                if "already in use" not in str(exc) and "could not bind" not in str(exc):
                    raise
                continue
            self._port = port
            return
        assert last_error is not None
        raise last_error

    def stop(self) -> None:
        """Fast shutdown (rolls back open transactions, disconnects clients)."""
        self._pg_ctl_stop("fast")

    def kill(self) -> None:
        """Immediate shutdown: no checkpoint, crash recovery on the next start."""
        self._pg_ctl_stop("immediate")

    def restart(self) -> None:
        """Start again on the same port (stopping first if the server is still up)."""
        if self._port is None:
            raise RuntimeError("restart() needs a cluster that was started before")
        if self._is_up():
            self.stop()
        self._running = False
        self.start()

    def create_database(self, name: str, template: str | None = None) -> str:
        """``CREATE DATABASE name [TEMPLATE template]``; returns :meth:`url` for it."""
        statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template is not None:
            statement = sql.SQL("{} TEMPLATE {}").format(statement, sql.Identifier(template))
        with self._admin_connection() as conn:
            conn.execute(statement)
        return self.url(name)

    def drop_database(self, name: str) -> None:
        """``DROP DATABASE IF EXISTS name WITH (FORCE)``: open connections are terminated."""
        statement = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        with self._admin_connection() as conn:
            conn.execute(statement)

    # ------------------------------------------------------------------ internals

    @staticmethod
    def _postgres_user() -> pwd.struct_passwd:
        try:
            return pwd.getpwnam(_OS_USER)
        except KeyError:
            raise RuntimeError(
                f"running as root, but there is no {_OS_USER!r} OS user to run the server as; "
                "install the server with `apt-get install -y postgresql`"
            ) from None

    def _admin_connection(self) -> psycopg.Connection[TupleRow]:
        return psycopg.connect(
            host="127.0.0.1",
            port=self.port,
            user=_SUPERUSER,
            dbname="postgres",
            autocommit=True,
            connect_timeout=10,
        )

    def _runtime(self) -> Path:
        if self._runtime_dir is None:
            self._runtime_dir = self._make_runtime_dir()
        return self._runtime_dir

    def _make_runtime_dir(self) -> Path:
        self._base_dir.mkdir(parents=True, exist_ok=True)
        candidate = self._base_dir / "pg"
        usable = len(str(candidate / "sock")) <= _MAX_SOCKET_DIR_LEN
        if usable and self._pw is not None:
            gids = {self._pw.pw_gid, *os.getgrouplist(self._pw.pw_name, self._pw.pw_gid)}
            usable = _traversable_by(self._base_dir, self._pw.pw_uid, gids)
        if usable:
            candidate.mkdir(mode=0o700, exist_ok=True)
            runtime = candidate
        else:
            runtime = Path(tempfile.mkdtemp(prefix="termsgate-pg-"))
            self._external_runtime = True
        for sub in ("data", "sock"):
            (runtime / sub).mkdir(mode=0o700, exist_ok=True)
        if self._pw is not None:
            for path in (runtime, runtime / "data", runtime / "sock"):
                os.chown(path, self._pw.pw_uid, self._pw.pw_gid)
                path.chmod(0o700)
        if self._external_runtime:
            link = self._base_dir / "postgres.log"
            if not link.exists() and not link.is_symlink():
                link.symlink_to(runtime / "postgres.log")
        return runtime

    def _command(self, argv: Sequence[str]) -> list[str]:
        if self._pw is None:
            return list(argv)
        if shutil.which("runuser"):
            return ["runuser", "-u", _OS_USER, "--", *argv]
        return ["su", _OS_USER, "-s", "/bin/sh", "-c", shlex.join(argv)]

    def _run(
        self, argv: Sequence[str], *, check: bool = True, timeout: float = _TIMEOUT_S
    ) -> subprocess.CompletedProcess[str]:
        env = dict(os.environ)
        for var in ("PGDATA", "PGPORT", "PGHOST", "PGUSER", "PGDATABASE", "PGOPTIONS"):
            env.pop(var, None)
        env["LC_ALL"] = "C"
        env["LANG"] = "C"
        cmd = self._command(argv)
        try:
            proc = subprocess.run(
                cmd,
                cwd=self._runtime(),  # the postgres user may not be allowed into our cwd
                env=env,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise RuntimeError(
                f"timed out after {timeout}s: {shlex.join(cmd)}\n{_tail(self.log_path)}"
            ) from exc
        if check and proc.returncode != 0:
            raise RuntimeError(
                f"{shlex.join(cmd)} exited with {proc.returncode}\n"
                f"{proc.stdout}{proc.stderr}\n--- tail of {self.log_path} ---\n"
                f"{_tail(self.log_path)}"
            )
        return proc

    def _initdb(self) -> None:
        data_dir = self.data_dir
        if (data_dir / "PG_VERSION").exists():
            self._initialized = True
            return
        self._run(
            [
                self._initdb_bin,
                "-D",
                str(data_dir),
                "-A",
                "trust",
                "-U",
                _SUPERUSER,
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            ]
        )
        lines = [f"{key} = {value}" for key, value in _SETTINGS.items()]
        lines.append(f"unix_socket_directories = '{self.socket_dir}'")
        conf = data_dir / "postgresql.conf"
        with conf.open("a", encoding="utf-8") as fh:
            fh.write("\n# termsgate test cluster\n" + "\n".join(lines) + "\n")
        self._initialized = True

    def _pg_ctl_start(self, port: int) -> None:
        # The log is appended to across restarts; remember where this attempt starts.
        offset = self.log_path.stat().st_size if self.log_path.exists() else 0
        proc = self._run(
            [
                self._pg_ctl_bin,
                "start",
                "-w",
                "-t",
                str(_TIMEOUT_S),
                "-D",
                str(self.data_dir),
                "-l",
                str(self.log_path),
                "-o",
                f"-p {port}",
            ],
            check=False,
            timeout=_TIMEOUT_S + 30,
        )
        if proc.returncode == 0:
            self._running = True
            return
        log = ""
        try:
            with self.log_path.open("rb") as fh:
                fh.seek(offset)
                log = fh.read().decode("utf-8", errors="replace")
        except OSError:
            log = _tail(self.log_path)
        # pg_ctl -w may time out while a half-started postmaster lingers; make sure it is gone.
        self._pg_ctl_stop("immediate")
        tail = "\n".join(log.splitlines()[-40:])
        raise RuntimeError(
            f"PostgreSQL failed to start on 127.0.0.1:{port} (pg_ctl exit {proc.returncode})\n"
            f"{proc.stdout}{proc.stderr}\n--- tail of {self.log_path} ---\n{tail}"
        )

    def _is_up(self) -> bool:
        if not (self.data_dir / "postmaster.pid").exists():
            return False
        proc = self._run([self._pg_ctl_bin, "status", "-D", str(self.data_dir)], check=False)
        return proc.returncode == 0

    def _pg_ctl_stop(self, mode: str) -> None:
        if not self._initialized or not self._is_up():
            self._running = False
            return
        proc = self._run(
            [
                self._pg_ctl_bin,
                "stop",
                "-w",
                "-t",
                str(_TIMEOUT_S),
                "-m",
                mode,
                "-D",
                str(self.data_dir),
            ],
            check=False,
            timeout=_TIMEOUT_S + 30,
        )
        # Exit status 1 with "no server running" means it went away by itself; that's fine.
        if proc.returncode != 0 and self._is_up():
            raise RuntimeError(
                f"pg_ctl stop -m {mode} failed with {proc.returncode}\n{proc.stdout}{proc.stderr}"
            )
        self._running = False

    def _cleanup_at_exit(self) -> None:
        try:
            if self._initialized:
                self._pg_ctl_stop("immediate")
        except Exception:  # best effort at interpreter exit
            self._kill_postmaster()
        if self._external_runtime and self._runtime_dir is not None:
            # Keep the server log for post-mortems: replace the symlink with a copy.
            link = self._base_dir / "postgres.log"
            with contextlib.suppress(OSError):
                if link.is_symlink() and self.log_path.exists():
                    link.unlink()
                    shutil.copyfile(self.log_path, link)
            shutil.rmtree(self._runtime_dir, ignore_errors=True)

    def _kill_postmaster(self) -> None:
        """Last resort when pg_ctl itself fails: SIGKILL the postmaster from its pid file."""
        try:
            first_line = (self.data_dir / "postmaster.pid").read_text().splitlines()[0]
        except (OSError, IndexError):
            return
        if re.fullmatch(r"\d+", first_line.strip()):
            with contextlib.suppress(OSError):
                os.kill(int(first_line), signal.SIGKILL)
