"""The `termsgate` command line's arguments: each command and what runs it."""

from __future__ import annotations

import argparse
import os
from datetime import date

from app.cli import data, keys, running


def build() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="termsgate", description="The `termsgate` command line.")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", help="serve the API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=int(os.environ.get("TERMSGATE_WORKERS", "1")))
    serve.add_argument("--no-migrate", action="store_true", help="do not apply migrations first")
    serve.add_argument(
        "--no-relay", action="store_true", help="do not run the webhook relay in the workers"
    )
    serve.set_defaults(command=running.serve)

    relay = commands.add_parser("relay", help="run the webhook relay alone, until SIGTERM")
    relay.add_argument(
        "--metrics-port", type=int, help="serve Prometheus metrics on PORT (off by default)"
    )
    relay.add_argument(
        "--metrics-host",
        default="127.0.0.1",
        help="the address the metrics listen on (default 127.0.0.1; 0.0.0.0 in a pod)",
    )
    relay.add_argument("--no-migrate", action="store_true", help="do not apply migrations first")
    relay.set_defaults(command=running.relay)

    migrate = commands.add_parser("migrate", help="apply pending migrations")
    migrate.set_defaults(command=running.migrate)

    apikey = commands.add_parser("apikey", help="create, list or revoke API keys")
    apikey_commands = apikey.add_subparsers(required=True, metavar="ACTION")
    create = apikey_commands.add_parser("create", help="create a key; prints its token last")
    create.add_argument("--name", required=True)
    create.add_argument(
        "--owner", metavar="PERSON", help="the person the key acts for (default: the name)"
    )
    create.add_argument("--scope", action="append", required=True, dest="scopes")
    create.set_defaults(command=keys.apikey_create)
    listing = apikey_commands.add_parser(
        "list", help="every key: name, owner, scopes, created, revoked (never a token)"
    )
    listing.set_defaults(command=keys.apikey_list)
    revoke = apikey_commands.add_parser("revoke", help="revoke a key on every replica")
    revoke.add_argument("name")
    revoke.set_defaults(command=keys.apikey_revoke)

    audit = commands.add_parser("audit", help="check the audit log")
    audit_commands = audit.add_subparsers(required=True, metavar="ACTION")
    verify = audit_commands.add_parser(
        "verify", help="walk the hash chain; exit 1 at the first event that does not match"
    )
    verify.set_defaults(command=keys.audit_verify)

    demo = commands.add_parser(
        "demo", help="write a realistic, deterministic payment history to play with"
    )
    demo.add_argument("--customers", type=int, required=True, help="customers demo-00001 on")
    demo.add_argument("--seed", type=int, default=1, help="same seed, same history (default 1)")
    demo.set_defaults(command=data.demo)

    segment = commands.add_parser(
        "segment", help="a segmentation run: a dry run (preview) unless --apply"
    )
    segment.add_argument(
        "--as-of", type=date.fromisoformat, help="classify as of YYYY-MM-DD (default today)"
    )
    segment.add_argument("--apply", action="store_true", help="apply every assignment")
    segment.set_defaults(command=data.segment)

    forecast = commands.add_parser("forecast", help="the cash forecast: backtest, record")
    forecast_commands = forecast.add_subparsers(required=True, metavar="ACTION")
    backtest = forecast_commands.add_parser(
        "backtest", help="WAPE_1, WAPE_4 and WAPE_13 of the forecast and the due-date baseline"
    )
    backtest.add_argument("--from", dest="start", type=date.fromisoformat, required=True)
    backtest.add_argument("--to", dest="end", type=date.fromisoformat, required=True)
    backtest.add_argument(
        "--every", type=int, default=7, metavar="DAYS", help="days between as_of dates (7)"
    )
    backtest.add_argument(
        "--month-ends", action="store_true", help="as_of the month-ends in range instead"
    )
    backtest.set_defaults(command=data.forecast_backtest)
    keep = forecast_commands.add_parser(
        "record", help="keep today's forecast (segment --apply does it each night)"
    )
    keep.set_defaults(command=data.forecast_record)

    history = commands.add_parser(
        "import-history", help="load historical invoices and payments from a CSV file"
    )
    history.add_argument("file", metavar="FILE.csv")
    history.add_argument(
        "--column",
        action="append",
        default=[],
        dest="columns",
        metavar="NAME=SOURCE",
        help="read termsgate's column NAME from the file's column SOURCE (repeatable)",
    )
    history.add_argument(
        "--set",
        action="append",
        default=[],
        dest="values",
        metavar="NAME=VALUE",
        help="one VALUE for every row's column NAME, which the file lacks (repeatable)",
    )
    history.add_argument(
        "--date-format", metavar="FMT", help="how the file writes dates, e.g. %%m/%%d/%%Y"
    )
    history.set_defaults(command=data.import_history)

    openapi = commands.add_parser("openapi", help="print the OpenAPI document")
    openapi.set_defaults(command=running.openapi)
    return parser
