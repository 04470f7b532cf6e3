"""What `termsgate` runs (app/cli/__init__.py imports it): the settings read, the command the
arguments name run, and what goes wrong turned into one line and an exit code."""

from __future__ import annotations

import argparse
import logging.config
import os
import sys
import time
from collections.abc import Callable, Sequence

from pydantic import ValidationError
from pydantic_settings import SettingsError

from app.cli import running
from app.cli.parser import build
from app.core import tracing
from app.core.config import Settings, get_settings
from app.core.errors import field_message
from app.core.logs import log_config, request_id


def main(argv: Sequence[str] | None = None) -> None:
    parser = build()
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
    if command not in (
        running.serve,
        running.relay,
    ):  # their requests and deliveries carry their own ids
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
