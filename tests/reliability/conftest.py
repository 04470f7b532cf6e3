"""The reliability tests start real servers as the process tests do: the same fixtures."""

from tests.process.conftest import launch, pg_database, sqlite_database

__all__ = ["launch", "pg_database", "sqlite_database"]
