"""`termsgate serve` with tracing turned on by OTEL_* alone: spans reach an OTLP/HTTP collector,
sampled as the caller decided, and the server's log lines name the trace."""

from __future__ import annotations

import time
from pathlib import Path

import httpx

from tests.support.server import TLS, Server
from tests.support.tracing import Collector, caller_traceparent

WAIT_SECONDS = 15.0


def test_a_server_exports_the_spans_its_callers_sampled_over_otlp(tmp_path: Path) -> None:
    with Collector() as collector:
        env = {
            "OTEL_EXPORTER_OTLP_ENDPOINT": collector.endpoint,  # this alone turns tracing on
            "OTEL_TRACES_SAMPLER": "parentbased_always_off",  # only what a caller sampled
            "OTEL_BSP_SCHEDULE_DELAY": "50",
        }
        log = tmp_path / "server.log"
        with Server(f"sqlite:///{tmp_path / 'termsgate.db'}", log, env=env) as server:
            caller = caller_traceparent()
            traced = httpx.get(
                f"{server.base_url}/healthz/live", headers={"traceparent": caller}, verify=TLS
            )
            untraced = httpx.get(f"{server.base_url}/healthz/live", verify=TLS)
            assert (traced.status_code, untraced.status_code) == (200, 200)
            deadline = time.monotonic() + WAIT_SECONDS
            while not collector.received() and time.monotonic() < deadline:
                time.sleep(0.05)

        assert collector.received() == [("termsgate", "GET /healthz/live", caller[3:35])]
    lines = [line for line in log.read_text().splitlines() if '"GET /healthz/live 200"' in line]
    assert sum(f'"trace_id":"{caller[3:35]}"' in line for line in lines) == 1
