"""How the command line names a store and tells why it cannot be reached: never a password.

The default URL, `sqlite:///./termsgate.db`, is relative to the folder a command runs in, so a
command names the store it uses with the absolute path it resolved to.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

# Query parameters that may carry a secret (libpq reads a password from the URL's query too).
SECRET_PARAMETERS: Final = ("password", "sslpassword", "passfile")
REASON_MAX: Final = 300


def public_url(database_url: str) -> str:
    """The URL without its password; a SQLite file by its absolute path."""
    try:
        url = make_url(database_url)
    except ArgumentError:
        return "(an unreadable TERMSGATE_DATABASE_URL)"
    url = url._replace(password=None).difference_update_query(SECRET_PARAMETERS)
    database = sqlite_file(url)
    if database is not None:
        url = url._replace(database=str(database))
    return url.render_as_string(hide_password=True)


def sqlite_file(url: URL | str) -> Path | None:
    """The absolute path of a SQLite store's file; None for PostgreSQL or an in-memory one."""
    url = make_url(url) if isinstance(url, str) else url
    if not url.drivername.startswith("sqlite") or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database).resolve()


def outage_reason(error: BaseException, database_url: str) -> str:
    """The driver's own reason for an outage, on one line and without the password.

    A wrapped error (SQLAlchemy's, or StoreUnavailable raised `from None`) is unwrapped to the
    driver's: its message says what failed (refused, timed out, no such file, bad password)."""
    cause: BaseException = error
    for _ in range(5):  # SQLAlchemy's .orig, else the exception this one was raised during
        inner = getattr(cause, "orig", None) or cause.__cause__ or cause.__context__
        if not isinstance(inner, BaseException):
            break
        cause = inner
    text = " ".join(str(cause).split()) or type(cause).__name__
    try:
        password = make_url(database_url).password
    except ArgumentError:
        password = None
    if password:
        text = text.replace(str(password), "***")
    if len(text) > REASON_MAX:
        text = text[: REASON_MAX - 3] + "..."
    return text
