"""The long-running processes: the API's uvicorn workers, and the webhook relay on its own.

`termsgate serve` and `termsgate relay` (app/cli/) parse their arguments and come here; what
is here owns the process: its environment for the workers, the shared metrics directory, its
signals.
"""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
import threading
from pathlib import Path

from app.core import tracing
from app.core.clock import Clock
from app.core.config import Settings, get_settings
from app.core.logs import log_config
from app.core.preload import preloading

METRICS_DIR_ENV = "PROMETHEUS_MULTIPROC_DIR"
RELAY_ENV = "TERMSGATE_RELAY_IN_PROCESS"


def serve(settings: Settings, host: str, port: int, workers: int, relay: bool) -> None:
    """Serve the API until stopped; each worker runs a relay if `relay` (else none does)."""
    # The workers build their settings from the environment: tell them whether to relay.
    if relay:
        os.environ.setdefault(RELAY_ENV, "true")
    else:
        os.environ[RELAY_ENV] = "false"
    get_settings.cache_clear()  # read before that: a single worker, run in this process, rereads
    own_directory = _fresh_metrics_dir()
    try:
        _run_uvicorn(settings, host, port, workers)
    finally:
        if own_directory is not None:
            shutil.rmtree(own_directory, ignore_errors=True)


def _run_uvicorn(settings: Settings, host: str, port: int, workers: int) -> None:
    import uvicorn  # after the metrics directory is set: prometheus-client reads it on import

    _preload()
    if workers > 1:
        _fork_workers()
    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        loop="uvloop",
        http="httptools",
        access_log=False,
        server_header=False,
        log_config=log_config(settings.log_level),
        timeout_graceful_shutdown=10,
    )


def _preload() -> None:
    """Import the app before serving, as a process imports what it keeps (app/core/preload.py),
    so that forked workers share it."""
    with preloading():
        import app.main  # noqa: F401  (what uvicorn's import of the app factory then finds)


def _fork_workers() -> None:
    """uvicorn's workers are forked from this process, which has the app imported, instead of
    spawned as new interpreters that each import it again: a worker starts without the second
    of CPU the import costs, restarts as fast, and shares the imported code's memory.

    uvicorn spawns them through `uvicorn._subprocess.spawn`, a multiprocessing context; it is
    replaced with the fork context (tests/process/test_workers.py checks that they are forks).
    A worker forked before it has its own signal handlers would run the supervisor's, which
    only queue the signal for the supervisor's loop: it starts with the default ones instead.
    """
    import multiprocessing

    from uvicorn import _subprocess

    # The supervisor counts nothing, but importing the app opened prometheus-client's files for
    # its pid, which would make its CPU and memory count among the workers' (app/core/metrics.py).
    for path in Path(os.environ[METRICS_DIR_ENV]).glob(f"*_{os.getpid()}.db"):
        path.unlink(missing_ok=True)
    os.register_at_fork(after_in_child=_default_signals)
    _subprocess.spawn = multiprocessing.get_context("fork")  # type: ignore[assignment]


def _default_signals() -> None:
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)


def _fresh_metrics_dir() -> str | None:
    """Workers share one prometheus-client directory, emptied at start so counts begin at zero.

    Returns the directory if this process made it (a temporary one, removed on the way out).
    """
    directory = os.environ.get(METRICS_DIR_ENV)
    if directory:
        path = Path(directory)
        shutil.rmtree(path, ignore_errors=True)
        path.mkdir(parents=True, exist_ok=True)
        return None
    os.environ[METRICS_DIR_ENV] = tempfile.mkdtemp(prefix="termsgate-metrics-")
    return os.environ[METRICS_DIR_ENV]


def relay(settings: Settings, metrics_port: int | None, metrics_host: str) -> None:
    """The relay alone, until SIGTERM or SIGINT; then it finishes what it is sending."""
    # Its metrics are its own, served on its own port: never mixed into a server's directory.
    os.environ.pop(METRICS_DIR_ENV, None)
    from prometheus_client import start_http_server

    from app.contacts import service as contacts
    from app.core.store import Store
    from app.deliveries.relay import Relay
    from app.term_exceptions.escalation import sweep

    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda _signum, _frame: stop.set())
    if metrics_port is not None:
        start_http_server(metrics_port, addr=metrics_host)
    tracing.configure()  # deliveries are traced when OTEL_* asks (app/core/tracing.py)
    store = Store(settings)
    worker = Relay(store, settings, Clock(), chores=[sweep, contacts.sweep])
    worker.start()
    try:
        stop.wait()
    finally:
        worker.stop()
        store.dispose()
