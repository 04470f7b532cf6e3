"""A real `termsgate serve` process, for what only a process shows."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType

import httpx

from tests.support.postgres import free_port

TERMSGATE = str(Path(sys.executable).with_name("termsgate"))
# httpx makes an SSL context and loads the CA bundle for every client it builds, 20 ms of CPU
# each; the suite's clients, plain HTTP to loopback all of them, share this one.
TLS = httpx.create_ssl_context()


def termsgate(
    *args: str, env: dict[str, str], timeout: float = 60, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run one `termsgate` command to completion (in `cwd`, if given)."""
    return subprocess.run(
        [TERMSGATE, *args],
        env={**os.environ, **env},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


class Server:
    """`termsgate serve` on a free loopback port; stopped (and reaped) on exit."""

    def __init__(
        self,
        database_url: str,
        log_path: Path,
        *,
        workers: int = 1,
        extra_args: tuple[str, ...] = (),
        env: dict[str, str] | None = None,
    ) -> None:
        self.port = free_port()
        self.workers = workers
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self.env = {
            **os.environ,
            "TERMSGATE_DATABASE_URL": database_url,
            **(env or {}),
        }
        self.args = [
            TERMSGATE, "serve", "--host", "127.0.0.1", "--port", str(self.port),
            "--workers", str(workers), *extra_args,
        ]  # fmt: skip
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, wait_ready: bool = True, timeout: float = 60) -> Server:
        """Start it; with `wait_ready`, return once every worker has loaded its snapshot."""
        log = self.log_path.open("ab")
        logged_before = log.tell()
        self.process = subprocess.Popen(
            self.args, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        log.close()
        try:
            self.wait_listening(timeout, since=logged_before)
            self.wait_until("/healthz/ready" if wait_ready else "/healthz/live", timeout)
            if wait_ready and self.workers > 1:
                self.wait_for_loads(self.workers, timeout, since=logged_before)
        except BaseException:  # never leave a half-started server behind
            self.stop()
            raise
        return self

    def wait_until(self, path: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError(f"termsgate serve exited: {self.log_path.read_text()[-3000:]}")
            try:
                if httpx.get(self.base_url + path, timeout=1, verify=TLS).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise TimeoutError(f"{path} not 200 within {timeout}s: {self.log_path.read_text()[-3000:]}")

    def wait_listening(self, timeout: float, since: int) -> None:
        """Until the log (from byte `since`) tells that this server listens on its port. Until
        then, what answers there may be another process's server (one that took the port
        first, while this one fails to bind), and a test would talk to its store."""
        listening = f"127.0.0.1:{self.port} (Press CTRL+C to quit)".encode()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process is not None
            if listening in self.logged(since):
                return
            if self.process.poll() is not None:
                raise RuntimeError(f"termsgate serve exited: {self.log_path.read_text()[-3000:]}")
            time.sleep(0.05)
        raise TimeoutError(f"not listening within {timeout}s: {self.log_path.read_text()[-3000:]}")

    def wait_for_loads(self, loads: int, timeout: float, since: int = 0) -> None:
        """Until the log (from byte `since`) tells of `loads` snapshots loaded: readiness answers
        from one worker, the log from each, a worker started in place of another included."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.logged(since).count(b'"terms snapshot loaded"') >= loads:
                return
            time.sleep(0.05)
        raise TimeoutError(f"not {loads} snapshots loaded within {timeout}s")

    def logged(self, since: int = 0) -> bytes:
        """What the server has logged from byte `since`."""
        with self.log_path.open("rb") as log:
            log.seek(since)
            return log.read()

    def worker_pids(self) -> list[int]:
        """The uvicorn workers under a `--workers N` server (N > 1): forks of it, so with its
        command line (a spawned worker's would be multiprocessing's `spawn_main`)."""
        assert self.process is not None
        supervisor = self.process.pid
        own_command = Path(f"/proc/{supervisor}/cmdline").read_bytes()
        children: list[int] = []
        for tasks in Path(f"/proc/{supervisor}/task").glob("*/children"):
            children += [int(pid) for pid in tasks.read_text().split()]
        workers = []
        for pid in children:
            try:
                command = Path(f"/proc/{pid}/cmdline").read_bytes()
            except OSError:  # gone meanwhile
                continue
            if command == own_command:
                workers.append(pid)
        return workers

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=15)

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _value: BaseException | None,
        _tb: TracebackType | None,
    ) -> None:
        self.stop()
