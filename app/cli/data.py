"""The commands that write or read history in bulk: demo, segment, forecast backtest and record,
import-history."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.cli.store import actor, open_store, read
from app.core.clock import Clock
from app.core.config import Settings


def demo(args: argparse.Namespace, settings: Settings) -> int:
    """Migrate if need be, then write the history; customers already there are skipped."""
    from app.demo import generate

    with open_store(settings) as store:
        done = generate(
            store, customers=args.customers, seed=args.seed, clock=Clock(), actor=actor()
        )
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


def segment(args: argparse.Namespace, settings: Settings) -> int:
    from app.segmentation_runs import service

    with open_store(settings) as store:
        done = service.run(
            store, as_of=args.as_of, dry_run=not args.apply, actor=actor(), clock=Clock()
        )
    kind = "dry run (nothing changed)" if done.dry_run else "applied"
    print(f"segmentation run {done.id}: {kind}, as of {done.as_of}, policy v{done.policy_version}")
    print(f"classified {done.classified:,} customers; moved {done.moved:,}, held {done.held:,}")
    for key in done.counts_before:
        before, after = done.counts_before[key], done.counts_after[key]
        print(f"  {key:<24} {before:>10,} -> {after:>10,}")
    if done.dry_run:
        print("moves: GET /v1/segmentation-runs/<id>/moves; apply with --apply")
    else:  # the nightly run: keep the day's cash forecast beside it
        forecast_record(args, settings)
    print(done.id)
    return 0


def forecast_backtest(args: argparse.Namespace, settings: Settings) -> int:
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
    done = read(settings, lambda session: backtest.run(session, dates))
    print(
        f"cash forecast backtest: {len(dates)} as_of dates from {args.start} to {args.end} "
        f"({done.seconds:.1f} s); WAPE averaged over the dates"
    )
    for line in backtest.table(done):
        print(line)
    return 0


def forecast_record(_args: argparse.Namespace, settings: Settings) -> int:
    from app.forecasts import record

    with open_store(settings) as store:
        currencies = record.record(store, Clock())
    print(f"cash forecast kept for today: {currencies} currencies")
    return 0


def import_history(args: argparse.Namespace, settings: Settings) -> int:
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
    try:
        with open_store(settings) as store:
            result = import_file(store, args.file, actor(), reading=reading, progress=progress)
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
