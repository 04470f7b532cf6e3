"""`make cluster`: the production topology on loopback, for real.

A private PostgreSQL, migrated once; two `termsgate serve` replicas (two workers each,
`--no-relay --no-migrate`, each with its own metrics directory); one `termsgate relay`; nginx on
127.0.0.1 balancing between the replicas. `python -m deploy.local.cluster` runs it until Ctrl-C;
`Cluster` is the same thing as a context manager, for tests/cluster/.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import sys
import threading
from pathlib import Path
from types import FrameType, TracebackType

from deploy.local.nginx import Balancer
from deploy.local.relay import RelayProcess
from tests.support.postgres import PostgresCluster, free_port
from tests.support.server import Server, termsgate

__all__ = ["Cluster", "main"]

REPO = Path(__file__).resolve().parents[2]
DATABASE = "termsgate"
ADMIN_KEY_NAME = "ops"
# Marks a cluster's work dir (safe to empty on the next start); holds the pid while in use.
MARKER = "termsgate-cluster.pid"
_START_WITHIN_SECONDS = 60.0
_STOP_WITHIN_SECONDS = 15.0


class Cluster:
    """PostgreSQL + migrations + N replicas + a relay + nginx, under one work dir.

    The work dir is emptied on start (a cluster is fresh every time) and keeps the logs after stop:
    logs/replica-<n>.log, logs/relay.log, nginx/access.log, nginx/error.log and PostgreSQL's.
    """

    def __init__(
        self,
        work_dir: Path,
        *,
        port: int = 0,
        replicas: int = 2,
        workers: int = 2,
        sync_interval_seconds: float = 0.25,
    ) -> None:
        self.work_dir = work_dir.resolve()
        self.requested_port = port
        self.replica_count = replicas
        self.workers = workers
        self.sync_interval_seconds = sync_interval_seconds
        self.postgres: PostgresCluster | None = None
        self.database_url = ""
        self.admin_key = ""
        self.replicas: list[Server] = []
        self.relay: RelayProcess | None = None
        self.balancer: Balancer | None = None

    # ------------------------------------------------------------------ what callers use

    @property
    def url(self) -> str:
        """The load balancer's base URL."""
        assert self.balancer is not None, "the cluster is not started"
        return self.balancer.base_url

    def metrics_dir(self, index: int) -> Path:
        """Replica `index`'s PROMETHEUS_MULTIPROC_DIR: one file per worker and metric kind."""
        return self.work_dir / "metrics" / f"replica-{index}"

    def kill_replica(self, index: int) -> None:
        """SIGKILL replica `index` with its workers, as a crashed host would go."""
        process = self.replicas[index].process
        assert process is not None
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=_STOP_WITHIN_SECONDS)

    def start_replica(self, index: int) -> None:
        """Start replica `index` again on its port (after `kill_replica`); returns once ready."""
        server = self.replicas[index]
        if server.process is not None and server.process.poll() is None:
            return  # still running
        server.start(wait_ready=True, timeout=_START_WITHIN_SECONDS)

    def exited(self) -> list[str]:
        """The processes of the topology that are not running any more."""
        named = [(f"replica {n}", server.process) for n, server in enumerate(self.replicas)]
        named += [("relay", self.relay.process if self.relay else None)]
        named += [("nginx", self.balancer.process if self.balancer else None)]
        return [name for name, process in named if process is None or process.poll() is not None]

    # ------------------------------------------------------------------ start and stop

    def start(self) -> Cluster:
        try:
            self._fresh_work_dir()
            self._start_postgres()
            self.admin_key = self._first_admin_key()
            for index in range(self.replica_count):
                self._start_replica(index)
            self._start_relay()
            self._start_balancer()
        except BaseException:  # never leave half a cluster behind
            self.stop()
            raise
        return self

    def stop(self) -> None:
        """nginx first (no new requests), then the replicas and the relay, PostgreSQL last."""
        stops = [self.balancer.stop] if self.balancer else []
        stops += [server.stop for server in self.replicas]
        stops += [self.relay.stop] if self.relay else []
        stops += [self.postgres.stop] if self.postgres else []
        failures: list[BaseException] = []
        for stop in stops:
            try:
                stop()
            except Exception as error:  # stop the rest anyway, then report
                failures.append(error)
        marker = self.work_dir / MARKER
        if marker.exists() and marker.read_text().strip() == str(os.getpid()):
            marker.write_text("")  # still a cluster's work dir, no longer in use
        if failures:
            raise RuntimeError(f"stopping the cluster: {failures!r}")

    def __enter__(self) -> Cluster:
        return self.start()

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _value: BaseException | None,
        _tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _fresh_work_dir(self) -> None:
        marker = self.work_dir / MARKER
        if marker.exists():
            owner = int(marker.read_text().strip() or 0)
            if owner and _alive(owner):
                raise RuntimeError(f"{self.work_dir} is in use by a running cluster (pid {owner})")
        elif self.work_dir.exists() and any(self.work_dir.iterdir()):
            raise RuntimeError(f"{self.work_dir} is not empty and not a cluster's work dir")
        shutil.rmtree(self.work_dir, ignore_errors=True)
        (self.work_dir / "logs").mkdir(parents=True)
        marker.write_text(f"{os.getpid()}\n")

    def _start_postgres(self) -> None:
        self.postgres = PostgresCluster(self.work_dir)
        self.postgres.start()
        self.database_url = self.postgres.create_database(DATABASE)
        migrated = termsgate("migrate", env=self._env(), timeout=_START_WITHIN_SECONDS)
        if migrated.returncode != 0:
            raise RuntimeError(f"termsgate migrate failed: {migrated.stderr}")

    def _first_admin_key(self) -> str:
        created = termsgate(
            "apikey", "create", "--name", ADMIN_KEY_NAME, "--scope", "admin", env=self._env()
        )
        if created.returncode != 0:
            raise RuntimeError(f"termsgate apikey create failed: {created.stderr}")
        return created.stdout.strip().splitlines()[-1]

    def _start_replica(self, index: int) -> None:
        env = {
            **self._env(),
            "PROMETHEUS_MULTIPROC_DIR": str(self.metrics_dir(index)),
            "TERMSGATE_SYNC_INTERVAL_SECONDS": str(self.sync_interval_seconds),
        }
        server = Server(
            self.database_url,
            self.work_dir / "logs" / f"replica-{index}.log",
            workers=self.workers,
            extra_args=("--no-relay", "--no-migrate"),
            env=env,
        )
        self.replicas.append(server)
        server.start(wait_ready=True, timeout=_START_WITHIN_SECONDS)

    def _start_relay(self) -> None:
        self.relay = RelayProcess(self.database_url, self.work_dir / "logs" / "relay.log")
        self.relay.start()

    def _start_balancer(self) -> None:
        upstreams = [server.port for server in self.replicas]
        attempts = 1 if self.requested_port else 3  # a free port can be taken before nginx binds
        for attempt in range(attempts):
            port = self.requested_port or free_port()
            self.balancer = Balancer(self.work_dir / "nginx", "127.0.0.1", port, upstreams)
            try:
                self.balancer.start()
                return
            except RuntimeError as error:
                if "in use" not in str(error) or attempt == attempts - 1:
                    raise

    def _env(self) -> dict[str, str]:
        return {"TERMSGATE_DATABASE_URL": self.database_url}


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _describe(cluster: Cluster) -> str:
    replicas = "\n".join(
        f"  replica {n}  {server.base_url}  ({cluster.workers} workers, "
        f"log {server.log_path.relative_to(cluster.work_dir)})"
        for n, server in enumerate(cluster.replicas)
    )
    relay = cluster.relay.metrics_url if cluster.relay else "-"
    return f"""\
termsgate cluster is up (work dir {cluster.work_dir})
  nginx      {cluster.url}   <- use this
{replicas}
  relay      metrics on {relay}
  postgres   {cluster.database_url}
  admin key  {cluster.admin_key}

  curl -s {cluster.url}/v1/customers/c-1/terms -H 'Authorization: Bearer {cluster.admin_key}'
  TERMSGATE_DATABASE_URL={cluster.database_url} .venv/bin/termsgate demo --customers 200

Ctrl-C stops everything."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make cluster", description=__doc__)
    parser.add_argument("--work-dir", type=Path, default=REPO / ".cluster")
    parser.add_argument("--port", type=int, default=8080, help="nginx's port (0: any free one)")
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2, help="uvicorn workers per replica")
    args = parser.parse_args(argv)

    stopping = threading.Event()
    started = threading.Event()

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        stopping.set()
        if not started.is_set():  # still starting: abandon the start, which cleans up
            raise KeyboardInterrupt

    # Installed explicitly: a background job starts with SIGINT ignored.
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, on_signal)

    cluster = Cluster(args.work_dir, port=args.port, replicas=args.replicas, workers=args.workers)
    try:
        cluster.start()
        started.set()
    except KeyboardInterrupt:
        cluster.stop()  # stops whatever a late signal left running; a no-op otherwise
        print("interrupted while starting; stopped", file=sys.stderr)
        return 130
    except Exception as error:
        print(f"cluster did not start: {error}", file=sys.stderr)
        if "in use" in str(error):
            print('another port: make cluster CLUSTER_ARGS="--port 9080"', file=sys.stderr)
        return 1
    try:
        print(_describe(cluster), flush=True)
        reported: set[str] = set()
        while not stopping.wait(1.0):
            for name in set(cluster.exited()) - reported:
                print(f"warning: {name} is not running any more", file=sys.stderr, flush=True)
                reported.add(name)
    finally:
        print("stopping: nginx, replicas, relay, postgres ...", flush=True)
        cluster.stop()
        print("stopped", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
