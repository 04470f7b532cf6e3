"""The commands that run the service or describe it: serve, relay, migrate, openapi."""

from __future__ import annotations

import argparse
import json

from app import processes
from app.cli.store import log_line, opened
from app.core.config import Settings


def serve(args: argparse.Namespace, settings: Settings) -> int:
    opened(settings, migrate=not args.no_migrate, say=log_line).dispose()
    processes.serve(settings, args.host, args.port, args.workers, relay=not args.no_relay)
    return 0


def relay(args: argparse.Namespace, settings: Settings) -> int:
    opened(settings, migrate=not args.no_migrate, say=log_line).dispose()
    processes.relay(settings, args.metrics_port, args.metrics_host)
    return 0


def migrate(_args: argparse.Namespace, settings: Settings) -> int:
    opened(settings).dispose()
    return 0


def openapi(_args: argparse.Namespace, settings: Settings) -> int:
    from app import main

    print(json.dumps(main.openapi(settings), indent=2, sort_keys=False))
    return 0
