"""The `termsgate` command line."""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import logging.config
import os
import sys
import time
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from pydantic import ValidationError
from pydantic_settings import SettingsError
from sqlalchemy.orm import Session

from app import processes
from app.core import tracing
from app.core.clock import Clock
from app.core.config import Settings, get_settings
from app.core.errors import field_message
from app.core.logs import JsonFormatter, log_config, request_id

if TYPE_CHECKING:
    from app.core.store import Store

T = TypeVar("T")


def main(argv: Sequence[str] | None = None) -> None:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        settings = get_settings()
        tracing.wanted(os.environ)  # a bad OTEL_* variable stops every command, as in serve
    except (ValidationError, SettingsError) as error:  # a bad TERMSGATE_* variable: say which
        print(f"termsgate: invalid configuration: {_misconfigured(error)}", file=sys.stderr)
        sys.exit(2)
    except tracing.TracingConfigError as error:  # names a variable and a value, never a secret
        print(f"termsgate: invalid configuration: {error}", file=sys.stderr)
        sys.exit(2)
    logging.config.dictConfig(log_config(settings.log_level))
    command: Callable[[argparse.Namespace, Settings], int] = args.command
    if command not in (_serve, _relay):  # their requests and deliveries carry their own ids
        # What this run writes to the audit log, and logs, names it: its why, with the actor.
        request_id.set(f"cli-{os.getpid():x}-{int(time.time()):x}")
    try:
        code = command(args, settings)
    except KeyboardInterrupt:
        code = 130
    except Exception as error:  # one line for the operator: no traceback, no SQL, no secret
        print(f"termsgate: {_describe(error, settings)}", file=sys.stderr)
        code = 1
    sys.exit(code)


def _misconfigured(error: ValidationError | SettingsError) -> str:
    """Each faulty setting and what is wrong with it, never its value (it may be a secret)."""
    if isinstance(error, SettingsError):  # a complex value that is not JSON
        return str(error)
    faults = []
    for item in error.errors():
        name, *inside = map(str, item["loc"])
        where = f" ({'.'.join(inside)})" if inside else ""
        faults.append(f"TERMSGATE_{name.upper()}{where}: {field_message(item)}")
    return "; ".join(faults)


def _describe(error: Exception, settings: Settings) -> str:
    from app.core.errors import CommitUncertain, StoreUnavailable, TermsGateError
    from app.core.outages import outage_reason, public_url
    from app.core.store import is_store_unreachable

    unreachable = isinstance(error, StoreUnavailable) or is_store_unreachable(error)
    if unreachable and not isinstance(error, CommitUncertain):
        url = settings.database_url.get_secret_value()
        return (
            f"the store {public_url(url)} cannot be reached: {outage_reason(error, url)} "
            "(check TERMSGATE_DATABASE_URL and that the store is up)"
        )
    if isinstance(error, TermsGateError):
        return error.detail
    return f"failed with {type(error).__name__}"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="termsgate", description=__doc__)
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", help="serve the API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=int(os.environ.get("TERMSGATE_WORKERS", "1")))
    serve.add_argument("--no-migrate", action="store_true", help="do not apply migrations first")
    serve.add_argument(
        "--no-relay", action="store_true", help="do not run the webhook relay in the workers"
    )
    serve.set_defaults(command=_serve)

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
    relay.set_defaults(command=_relay)

    migrate = commands.add_parser("migrate", help="apply pending migrations")
    migrate.set_defaults(command=_migrate)

    apikey = commands.add_parser("apikey", help="create, list or revoke API keys")
    apikey_commands = apikey.add_subparsers(required=True, metavar="ACTION")
    create = apikey_commands.add_parser("create", help="create a key; prints its token last")
    create.add_argument("--name", required=True)
    create.add_argument(
        "--owner", metavar="PERSON", help="the person the key acts for (default: the name)"
    )
    create.add_argument("--scope", action="append", required=True, dest="scopes")
    create.set_defaults(command=_apikey_create)
    listing = apikey_commands.add_parser(
        "list", help="every key: name, owner, scopes, created, revoked (never a token)"
    )
    listing.set_defaults(command=_apikey_list)
    revoke = apikey_commands.add_parser("revoke", help="revoke a key on every replica")
    revoke.add_argument("name")
    revoke.set_defaults(command=_apikey_revoke)

    audit = commands.add_parser("audit", help="check the audit log")
    audit_commands = audit.add_subparsers(required=True, metavar="ACTION")
    verify = audit_commands.add_parser(
        "verify", help="walk the hash chain; exit 1 at the first event that does not match"
    )
    verify.set_defaults(command=_audit_verify)

    demo = commands.add_parser(
        "demo", help="write a realistic, deterministic payment history to play with"
    )
    demo.add_argument("--customers", type=int, required=True, help="customers demo-00001 on")
    demo.add_argument("--seed", type=int, default=1, help="same seed, same history (default 1)")
    demo.set_defaults(command=_demo)

    segment = commands.add_parser(
        "segment", help="a segmentation run: a dry run (preview) unless --apply"
    )
    segment.add_argument(
        "--as-of", type=date.fromisoformat, help="classify as of YYYY-MM-DD (default today)"
    )
    segment.add_argument("--apply", action="store_true", help="apply every assignment")
    segment.set_defaults(command=_segment)

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
    backtest.set_defaults(command=_forecast_backtest)
    keep = forecast_commands.add_parser(
        "record", help="keep today's forecast (segment --apply does it each night)"
    )
    keep.set_defaults(command=_forecast_record)

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
    history.set_defaults(command=_import_history)

    openapi = commands.add_parser("openapi", help="print the OpenAPI document")
    openapi.set_defaults(command=_openapi)
    return parser


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    _opened(settings, migrate=not args.no_migrate, say=_log_line).dispose()
    processes.serve(settings, args.host, args.port, args.workers, relay=not args.no_relay)
    return 0


def _relay(args: argparse.Namespace, settings: Settings) -> int:
    _opened(settings, migrate=not args.no_migrate, say=_log_line).dispose()
    processes.relay(settings, args.metrics_port, args.metrics_host)
    return 0


def _migrate(_args: argparse.Namespace, settings: Settings) -> int:
    _opened(settings).dispose()
    return 0


def _log_line(text: str) -> None:
    """What a serving process says on stderr is JSON, like every log line after it."""
    record = logging.LogRecord("termsgate.cli", logging.INFO, __file__, 0, text, None, None)
    print(JsonFormatter().format(record), file=sys.stderr)


def _stderr(text: str) -> None:
    print(f"termsgate: {text}", file=sys.stderr)


def _opened(
    settings: Settings, *, migrate: bool = True, say: Callable[[str], None] = _stderr
) -> Store:
    """The command's store, named on stderr and migrated to the head first, as `serve` does,
    so every command works on a fresh store; an outage surfaces here with the driver's reason."""
    from app.core import schema
    from app.core.engine import build_engine
    from app.core.errors import StoreUnavailable
    from app.core.outages import public_url, sqlite_file
    from app.core.store import Store

    url = settings.database_url.get_secret_value()
    file = sqlite_file(url)
    new = " (a new file: created here; TERMSGATE_DATABASE_URL names another store)"
    fresh = file is not None and file.parent.is_dir() and not file.exists()
    say(f"store {public_url(url)}{new if fresh else ''}")
    if file is not None and not file.parent.is_dir():
        raise StoreUnavailable(f"there is no folder {file.parent}")
    engine = build_engine(settings)
    try:
        if migrate:
            schema.upgrade(engine)
    except BaseException:
        engine.dispose()
        raise
    return Store(settings, engine)


def _apikey_create(args: argparse.Namespace, settings: Settings) -> int:
    from app.apikeys import service

    def create(session: Session) -> str:
        return service.create(
            session,
            args.name,
            scopes=args.scopes,
            owner=args.owner,
            actor=_actor(),
            clock=Clock(),
        )

    token = _write(settings, create)
    if token is None:
        return 1
    scopes = ", ".join(sorted(set(args.scopes)))
    print(f"created key '{args.name}' for {args.owner or args.name} with scopes {scopes}")
    print("the token is shown once; store it now:")
    print(token)
    return 0


def _apikey_list(_args: argparse.Namespace, settings: Settings) -> int:
    from app.apikeys import service

    store = _opened(settings)
    try:
        with store.reading() as session:
            keys = service.listed(session)
    finally:
        store.dispose()
    rows = [("NAME", "OWNER", "SCOPES", "CREATED", "REVOKED")]
    for key in keys:
        revoked = _when(key.revoked_at) if key.revoked_at else "-"
        rows.append((key.name, key.owner, ",".join(key.scopes), _when(key.created_at), revoked))
    widths = [max(len(row[column]) for row in rows) for column in range(4)]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        print("  ".join([*cells, row[4]]))
    return 0


def _when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%SZ")


def _apikey_revoke(args: argparse.Namespace, settings: Settings) -> int:
    from app.apikeys import service

    def revoke(session: Session) -> bool:
        service.revoke(session, args.name, actor=_actor(), clock=Clock())
        return True

    if _write(settings, revoke) is None:
        return 1
    print(f"revoked key '{args.name}'")
    return 0


def _audit_verify(_args: argparse.Namespace, settings: Settings) -> int:
    from app.audit import service

    store = _opened(settings)
    try:
        with store.reading() as session:
            check = service.verify(session)
    finally:
        store.dispose()
    if not check.intact:
        print(f"audit chain broken at event {check.broken_at}: {check.why}")
        return 1
    print(f"audit chain intact: {check.events_checked} events")
    return 0


def _demo(args: argparse.Namespace, settings: Settings) -> int:
    """Migrate if need be, then write the history; customers already there are skipped."""
    from app.demo import generate

    store = _opened(settings)
    try:
        done = generate(
            store, customers=args.customers, seed=args.seed, clock=Clock(), actor=_actor()
        )
    finally:
        store.dispose()
    if done.customers == 0:
        print(f"nothing written: all {done.skipped:,} demo customers already have invoices")
    else:
        print(
            f"demo history written (seed {done.seed}): {done.customers:,} customers, "
            f"{done.invoices:,} invoices, {done.payments:,} payments in {done.seconds:.1f} s"
        )
        print(
            f"issued {done.first_issued_on} to {done.last_issued_on}; {done.open_invoices:,} "
            f"invoices open, {done.partially_paid:,} of them partially paid"
        )
        print(
            f"contact loop: {done.tasks:,} tasks ({done.open_tasks:,} open), "
            f"{done.touches:,} touches, {done.promises:,} promises, {done.disputes:,} disputes "
            f"({done.credit_notes:,} resolved with a credit note)"
        )
        if done.skipped:
            print(f"skipped {done.skipped:,} customers that already had invoices")
    print("next: preview a segmentation run with `termsgate segment` (dry run; --apply moves)")
    return 0


def _segment(args: argparse.Namespace, settings: Settings) -> int:
    from app.segmentation_runs import service

    store = _opened(settings)
    try:
        done = service.run(
            store, as_of=args.as_of, dry_run=not args.apply, actor=_actor(), clock=Clock()
        )
    finally:
        store.dispose()
    kind = "dry run (nothing changed)" if done.dry_run else "applied"
    print(f"segmentation run {done.id}: {kind}, as of {done.as_of}, policy v{done.policy_version}")
    print(f"classified {done.classified:,} customers; moved {done.moved:,}, held {done.held:,}")
    for key in done.counts_before:
        before, after = done.counts_before[key], done.counts_after[key]
        print(f"  {key:<24} {before:>10,} -> {after:>10,}")
    if done.dry_run:
        print("moves: GET /v1/segmentation-runs/<id>/moves; apply with --apply")
    else:  # the nightly run: keep the day's cash forecast beside it
        _forecast_record(args, settings)
    print(done.id)
    return 0


def _forecast_backtest(args: argparse.Namespace, settings: Settings) -> int:
    from app.core.errors import Invalid
    from app.forecasts import backtest

    try:
        dates = (
            backtest.month_ends(args.start, args.end)
            if args.month_ends
            else backtest.dates_between(args.start, args.end, args.every)
        )
    except Invalid as error:
        print(f"termsgate: {error.detail}", file=sys.stderr)
        return 2
    store = _opened(settings)
    try:
        with store.reading() as session:
            done = backtest.run(session, dates)
    finally:
        store.dispose()
    print(
        f"cash forecast backtest: {len(dates)} as_of dates from {args.start} to {args.end} "
        f"({done.seconds:.1f} s); WAPE averaged over the dates"
    )
    for line in backtest.table(done):
        print(line)
    return 0


def _forecast_record(_args: argparse.Namespace, settings: Settings) -> int:
    from app.forecasts import record

    store = _opened(settings)
    try:
        currencies = record.record(store, Clock())
    finally:
        store.dispose()
    print(f"cash forecast kept for today: {currencies} currencies")
    return 0


def _import_history(args: argparse.Namespace, settings: Settings) -> int:
    """Bad lines go to stderr, one each (the first thousand), and nothing is written; a bad
    --column, --set or --date-format is a usage error (exit 2)."""
    from app.history.importer import BadHistoryFile, BadReading, Reading, import_file
    from app.history.progress import TerminalProgress

    try:
        reading = Reading.from_flags(args.columns, args.values, args.date_format)
    except BadReading as error:
        print(f"termsgate: {error.detail}", file=sys.stderr)
        return 2
    progress = TerminalProgress(sys.stderr) if sys.stderr.isatty() else None
    store = _opened(settings)
    try:
        result = import_file(store, args.file, _actor(), reading=reading, progress=progress)
    except BadReading as error:
        print(f"termsgate: {error.detail}", file=sys.stderr)
        return 2
    except BadHistoryFile as error:
        for bad in error.bad_lines:
            print(f"line {bad.line}: {bad.reason}", file=sys.stderr)
        if error.count > len(error.bad_lines):
            print(f"... and {error.count - len(error.bad_lines):,} more", file=sys.stderr)
        print(f"termsgate: {error.detail}", file=sys.stderr)
        return 1
    finally:
        store.dispose()
    print(result.summary())
    peak = _peak_memory_mib()
    if peak is not None:
        print(f"peak memory: {peak:.0f} MiB")
    return 0


def _peak_memory_mib() -> float | None:
    """This process's peak resident memory since it started (Linux's VmHWM; None elsewhere).

    Not getrusage's ru_maxrss: that keeps the peak of the process it was forked from."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return None


def _openapi(_args: argparse.Namespace, settings: Settings) -> int:
    from app.main import openapi

    document = openapi(settings)
    print(json.dumps(document, indent=2, sort_keys=False))
    return 0


def _write(settings: Settings, work: Callable[[Session], T]) -> T | None:
    """Run `work` in one writing transaction; report a domain error and return None (an
    outage goes up to `main`, which names the store and the driver's reason)."""
    from app.core.errors import StoreUnavailable, TermsGateError

    store = _opened(settings)
    try:
        with store.writing() as session:
            return work(session)
    except StoreUnavailable:
        raise
    except TermsGateError as error:
        print(f"termsgate: {error.detail}", file=sys.stderr)
        return None
    finally:
        store.dispose()


def _actor() -> str:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return f"cli:{user}"[:64]
