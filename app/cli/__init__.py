"""The `termsgate` command line: `main` reads the settings, runs the command the arguments name
(app/cli/parser.py) and turns what goes wrong into one line and an exit code (app/cli/main.py).

The commands live by what they touch: running.py (serve, relay, migrate, openapi), keys.py
(API keys, the audit log), data.py (demo, segment, forecast, import-history); store.py holds
what they share.

This module imports nothing of them until `main` runs, so that they are imported as a
process imports what it keeps (app/core/preload.py): with the garbage collector off, then
frozen.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.core.preload import preloading


def main(argv: Sequence[str] | None = None) -> None:
    with preloading():
        from app.cli.main import main as run
    run(argv)
