"""The access matrix: which scopes let a caller into each operation, and concrete paths to try."""

from __future__ import annotations

import re

Operation = tuple[str, str]  # (method, path template)

KEYLESS: frozenset[Operation] = frozenset(
    {("GET", "/healthz/live"), ("GET", "/healthz/ready"), ("GET", "/metrics")}
)

ANY_KEY = None
OPS = frozenset({"segments:write"})
REPORTS = frozenset({"reports:read"})
BILLING = frozenset({"invoices:write"})
COLLECTORS = frozenset({"collections:write"})
CONTACT_READERS = frozenset({"collections:write", "exceptions:approve", "reports:read"})
# The scopes that let a caller in (admin always does); None: any valid key.
GRANTS: dict[Operation, frozenset[str] | None] = {
    ("GET", "/v1/customers/{customer_id}/terms"): frozenset({"terms:read"}),
    ("POST", "/v1/checkout/decisions"): frozenset({"terms:read"}),
    ("GET", "/v1/checkout/decisions/{decision_id}"): frozenset({"terms:read"}),
    ("POST", "/v1/checkout/decisions/{decision_id}/release"): frozenset({"terms:read"}),
    ("GET", "/v1/audit-events"): REPORTS,
    ("GET", "/v1/customers/{customer_id}"): REPORTS,
    ("PUT", "/v1/customers/{customer_id}/override"): OPS,
    ("DELETE", "/v1/customers/{customer_id}/override"): OPS,
    ("GET", "/v1/deliveries"): OPS,
    ("POST", "/v1/deliveries/{event_id}/retry"): OPS,
    ("POST", "/v1/invoice-routes"): BILLING,
    ("POST", "/v1/invoice-routes/batch"): BILLING,
    ("GET", "/v1/invoice-routes/{invoice_id}"): frozenset({"invoices:read"}),
    ("GET", "/v1/invoices/{invoice_id}"): frozenset({"invoices:read", "reports:read"}),
    ("GET", "/v1/customers/{customer_id}/decisions"): frozenset({"terms:read", "reports:read"}),
    ("GET", "/v1/overrides"): frozenset({"segments:write", "reports:read"}),
    ("GET", "/v1/customers/{customer_id}/invoices"): frozenset({"invoices:read", "reports:read"}),
    ("POST", "/v1/payments"): BILLING,
    ("GET", "/v1/kpis/ageing"): REPORTS,
    ("GET", "/v1/kpis/cei"): REPORTS,
    ("GET", "/v1/kpis/collections-by-owner"): REPORTS,
    ("GET", "/v1/kpis/dso"): REPORTS,
    ("GET", "/v1/kpis/dso/trend"): REPORTS,
    ("GET", "/v1/segmentation-policy"): ANY_KEY,
    ("PUT", "/v1/segmentation-policy"): OPS,
    ("GET", "/v1/segmentation-policy/versions"): ANY_KEY,
    ("GET", "/v1/segmentation-policy/versions/{version}"): ANY_KEY,
    ("POST", "/v1/segmentation-runs"): OPS,
    ("GET", "/v1/segmentation-runs"): OPS | REPORTS,
    ("GET", "/v1/segmentation-runs/{run_id}"): OPS | REPORTS,
    ("GET", "/v1/segmentation-runs/{run_id}/moves"): OPS | REPORTS,
    ("GET", "/v1/segments"): ANY_KEY,
    ("GET", "/v1/segments/{key}"): ANY_KEY,
    ("PUT", "/v1/segments/{key}"): OPS,
    ("DELETE", "/v1/segments/{key}"): OPS,
    ("POST", "/v1/term-exceptions"): frozenset({"exceptions:request"}),
    ("GET", "/v1/term-exceptions"): frozenset(
        {"exceptions:request", "exceptions:approve", "reports:read"}
    ),
    ("GET", "/v1/term-exceptions/{exception_id}"): frozenset(
        {"exceptions:request", "exceptions:approve", "reports:read"}
    ),
    ("POST", "/v1/term-exceptions/{exception_id}/approve"): frozenset({"exceptions:approve"}),
    ("POST", "/v1/term-exceptions/{exception_id}/reject"): frozenset({"exceptions:approve"}),
    ("GET", "/v1/contact-tasks"): CONTACT_READERS,
    ("GET", "/v1/worklist"): CONTACT_READERS,
    ("POST", "/v1/touches"): COLLECTORS,
    ("POST", "/v1/touches/batch"): COLLECTORS,
    ("GET", "/v1/promises"): CONTACT_READERS,
    ("GET", "/v1/disputes"): CONTACT_READERS,
    ("POST", "/v1/disputes/{dispute_id}/resolve"): frozenset({"exceptions:approve"}),
    ("GET", "/v1/kpis/contacts"): REPORTS,
    ("GET", "/v1/forecasts/cash"): REPORTS,
    ("GET", "/v1/forecasts/cash/invoices"): REPORTS,
    ("GET", "/v1/forecasts/cash/accuracy"): REPORTS,
    ("GET", "/v1/workflows"): ANY_KEY,
    ("GET", "/v1/workflows/{key}"): ANY_KEY,
    ("PUT", "/v1/workflows/{key}"): OPS,
    ("POST", "/v1/workflows/{key}/rotate-secret"): OPS,
}

# What each path parameter is filled in with.
PATH_VALUES = {
    "customer_id": "c-1",
    "decision_id": "dec_x",
    "event_id": "evt_x",
    "invoice_id": "inv-1",
    "version": "1",
    "run_id": "run_x",
    "key": "net_30",
    "exception_id": "tex_x",
    "dispute_id": "dsp_x",
}


def concrete(path: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: PATH_VALUES[m.group(1)], path)
