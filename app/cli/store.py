"""What the commands share: the store opened and migrated first (named on stderr), one writing
transaction with a domain error reported, the actor the audit log names, and the two ways a
command speaks on stderr."""

from __future__ import annotations

import getpass
import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, TypeVar

from sqlalchemy.orm import Session

from app.core.config import Settings
from app.core.logs import JsonFormatter

if TYPE_CHECKING:
    from app.core.store import Store

T = TypeVar("T")


def log_line(text: str) -> None:
    """What a serving process says on stderr is JSON, like every log line after it."""
    record = logging.LogRecord("termsgate.cli", logging.INFO, __file__, 0, text, None, None)
    print(JsonFormatter().format(record), file=sys.stderr)


def stderr(text: str) -> None:
    print(f"termsgate: {text}", file=sys.stderr)


def opened(
    settings: Settings, *, migrate: bool = True, say: Callable[[str], None] = stderr
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


@contextmanager
def open_store(settings: Settings) -> Iterator[Store]:
    """`opened`, and disposed of on the way out."""
    store = opened(settings)
    try:
        yield store
    finally:
        store.dispose()


def read(settings: Settings, work: Callable[[Session], T]) -> T:
    """Run `work` in one reading transaction of the command's store."""
    with open_store(settings) as store, store.reading() as session:
        return work(session)


def write(settings: Settings, work: Callable[[Session], T]) -> T | None:
    """Run `work` in one writing transaction; report a domain error and return None (an
    outage goes up to `main`, which names the store and the driver's reason)."""
    from app.core.errors import StoreUnavailable, TermsGateError

    try:
        with open_store(settings) as store, store.writing() as session:
            return work(session)
    except StoreUnavailable:
        raise
    except TermsGateError as error:
        print(f"termsgate: {error.detail}", file=sys.stderr)
        return None


def actor() -> str:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return f"cli:{user}"[:64]
