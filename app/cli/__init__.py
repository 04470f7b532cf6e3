"""The `termsgate` command line: `main` reads the settings, runs the command the arguments name
(app/cli/parser.py) and turns what goes wrong into one line and an exit code (app/cli/main.py).

The commands live by what they touch: running.py (serve, relay, migrate, openapi), keys.py
(API keys, the audit log), data.py (demo, segment, forecast, import-history); store.py holds
what they share.

This module imports nothing of them until `main` runs, so that they are imported with the
garbage collector off: importing makes many objects and next to no garbage, and collecting
meanwhile was about a quarter of a command's CPU (`termsgate --help` 0.49 s with it, 0.34 s
without). What was imported is then frozen, out of every later collection.
"""

from __future__ import annotations

import gc
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> None:
    gc.disable()
    try:
        from app.cli.main import main as run
    finally:
        gc.freeze()
        gc.enable()
    run(argv)
