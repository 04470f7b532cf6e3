"""Schemathesis against termsgate's own OpenAPI document, served by a real `termsgate serve`.

Every operation is fuzzed in all of schemathesis' phases (examples, coverage, fuzzing, and the
stateful phase that chains operations through the document's links), with valid keys and on
both stores. It proves that no request makes the server fail (no 5xx) and that every answer is
one the document promises: a documented status code, content type and headers, and a body that
validates.
"""

from __future__ import annotations

import json
import random
from typing import Any

import httpx
import pytest
import schemathesis

from app.core.config import DEFAULT_RATE_LIMITS
from app.core.currencies import MINOR_UNITS
from tests.support.figures import Figure
from tests.support.fuzzing import Tally, fields_as_documented
from tests.support.harness import create_key
from tests.support.launch import Launch
from tests.support.server import TLS, termsgate

pytestmark = pytest.mark.process

SEED = 20261122
# Examples per operation and phase, steps per stateful scenario: CI, and `pytest --long`. CI's
# still covers every operation, with stateful steps that follow links (the test asserts both);
# it was 10 examples and 20 scenarios, the suite's longest test (2 x 63 s of a 760 s CI run).
MAX_EXAMPLES = {False: 5, True: 200}
MAX_STEPS = {False: 30, True: 100}
STATEFUL_SCENARIOS = {False: 10, True: 1000}
DEMO_CUSTOMERS = 20
SEGMENTS = ["pay_on_order", "net_15", "net_30"]

# Steer part of the generated values to ones the store knows, so that requests get past the
# business rules (an active currency, an existing segment) and meet each other (the same
# customers, invoices routed then paid) instead of each landing on a fresh 404 or 422.
DICTIONARIES = {
    "currencies": {"values": ["USD", "EUR", "JPY", "BHD", *sorted(MINOR_UNITS)[:20]]},
    "segments": {"values": SEGMENTS},
    "customers": {"values": ["c-1", "c-2", "demo-00001", "demo-00002", "demo-00003"]},
    "invoices": {"values": ["inv-1", "inv-2", "inv-3"]},
    "amounts": {"values": [1, 100, 2500]},
}
BINDINGS = {
    "currencies": [
        "query.currency",
        "body.currency",
        "body.credit_limit.currency",
        "body.invoices[*].currency",
        "body.value_tiers.high.min_revenue.currency",
    ],
    "segments": [
        "body.segment",
        "body.new_customer_segment",
        "body.matrix.good.high",
        "body.matrix.good.standard",
        "body.matrix.average.high",
        "body.matrix.average.standard",
        "body.matrix.poor.high",
        "body.matrix.poor.standard",
        "body.workflow",
        "query.segment",
    ],
    "customers": ["path.customer_id", "query.customer_id", "body.customer_id"],
    "invoices": ["body.invoice_id", "path.invoice_id", "body.invoices[*].invoice_id"],
    "amounts": ["body.amount"],
}
# Rate limits are item 5's; here they would only cut the fuzzing short with 429s.
NO_RATE_LIMITS = json.dumps(dict.fromkeys(DEFAULT_RATE_LIMITS))
# The coverage phase's negative cases (4 in 5 of its cases) and its unexpected methods are
# refused by the schema's validation or the router before any store is touched: in CI they run
# on PostgreSQL only, and SQLite gets the positive ones, which reach it (under --long, all).
ONLY_WHAT_REACHES_THE_STORE = {"generation": {"mode": "positive"}, "unexpected-methods": []}
# Four eyes: the key that requested an exception may not decide it, so decisions use another.
DECIDING = ["approve_term_exception", "reject_term_exception"]


@pytest.fixture(params=["sqlite", "postgresql"])
def fuzzed_database(request: pytest.FixtureRequest) -> str:
    """A migrated store of the test's own, holding a small demo history to report on."""
    fixture = "sqlite_database" if request.param == "sqlite" else "pg_database"
    url: str = request.getfixturevalue(fixture)
    env = {"TERMSGATE_DATABASE_URL": url}
    done = termsgate("demo", "--customers", str(DEMO_CUSTOMERS), env=env)
    assert done.returncode == 0, done.stderr
    return url


def engine_config(
    base_url: str, ops: str, finance: str, long: bool, seed: int, store: str
) -> dict[str, Any]:
    """The schemathesis configuration, as `schemathesis.toml` would hold it."""
    phases: dict[str, Any] = {
        "stateful": {
            "max-steps": MAX_STEPS[long],
            "generation": {"max-examples": STATEFUL_SCENARIOS[long]},
        }
    }
    if store == "sqlite" and not long:
        phases["coverage"] = ONLY_WHAT_REACHES_THE_STORE
    return {
        "seed": seed,
        "base-url": base_url,
        "headers": {"Authorization": f"Bearer {ops}"},
        "request-timeout": 30,
        "dictionaries": DICTIONARIES,
        "parameters": {
            binding: {"dictionary": name, "probability": 0.7}
            for name, bindings in BINDINGS.items()
            for binding in bindings
        },
        "generation": {"max-examples": MAX_EXAMPLES[long], "database": "none"},
        "phases": phases,
        "checks": {
            # A schema-valid request may still break a business rule: an unknown segment or
            # cursor, a date in the past (422), a missing or stale If-Match (428, 412), a
            # decision on a decided exception (409). What it may never get is a 400 (the body
            # is not what the schema describes) or a 5xx.
            "positive_data_acceptance": {
                "expected-statuses": ["2xx", "401", "403", "404", "409", "412", "422", "428"]
            },
        },
        "operations": [
            {"include-operation-id": DECIDING, "headers": {"Authorization": f"Bearer {finance}"}}
        ],
    }


@pytest.fixture
def seed(request: pytest.FixtureRequest) -> int:
    """Fixed in CI, so a run can be repeated; fresh under --long, to explore further."""
    return random.randrange(2**32) if request.config.getoption("--long") else SEED


def test_schemathesis_finds_no_server_error_and_no_schema_violation(
    fuzzed_database: str,
    launch: Launch,
    figure: Figure,
    seed: int,
    request: pytest.FixtureRequest,
) -> None:
    long: bool = request.config.getoption("--long")
    store = "postgresql" if fuzzed_database.startswith("postgresql") else "sqlite"
    ops = create_key(fuzzed_database, "fuzz-ops", "admin")
    finance = create_key(fuzzed_database, "fuzz-finance", "admin")
    # No relay: a fuzzed workflow may name any public https URL, and nothing may leave loopback.
    server = launch(fuzzed_database, "--no-relay", env={"TERMSGATE_RATE_LIMITS": NO_RATE_LIMITS})
    document = httpx.get(f"{server.base_url}/openapi.json", timeout=10, verify=TLS).json()
    config = schemathesis.Config.from_dict(
        engine_config(server.base_url, ops, finance, long, seed, store)
    )
    schema = schemathesis.openapi.from_dict(document, config=config)

    tally = Tally.of(schemathesis.engine.from_schema(schema).execute())

    operations = {
        f"{method.upper()} {path}" for path, item in document["paths"].items() for method in item
    }
    where = f"[{store}, seed {seed}]"
    figure("1", f"schemathesis {store}: operations in the schema", len(operations))
    figure("1", f"schemathesis {store}: operations covered", len(tally.covered))
    figure("1", f"schemathesis {store}: operations answered 2xx", len(tally.succeeded))
    figure("1", f"schemathesis {store}: test cases", tally.cases_line())
    figure("1", f"schemathesis {store}: server errors (5xx)", tally.server_errors)
    figure("1", f"schemathesis {store}: schema violations", tally.schema_violations)
    figure("1", f"schemathesis {store}: stateful steps", tally.stateful_line())
    figure("1", f"schemathesis {store}: checks run", len(tally.checks_run))
    assert not tally.errors, f"{where} schemathesis could not run:\n" + "\n".join(tally.errors)
    assert tally.covered == operations, f"{where} not covered: {sorted(operations - tally.covered)}"
    assert tally.server_errors == 0, f"{where}\n{tally.report()}"
    assert not tally.failures, f"{where}\n{tally.report()}"
    assert fields_as_documented.__name__ in tally.checks_run, "termsgate's own check did not run"
    assert tally.stateful_steps > 0, f"{where} no stateful steps ran"
    assert tally.linked_steps > 0, f"{where} no stateful step followed a link"
