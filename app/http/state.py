"""The application's state, typed: what the HTTP kit and the routers read of the process.

The domains' long-lived parts appear here only as what HTTP needs of them (the protocols
below); `app/main.py` builds the real ones and hands them over.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from starlette.requests import HTTPConnection

from app.core.clock import Clock
from app.core.config import Settings
from app.core.errors import StoreUnavailable
from app.core.keys import Principal
from app.core.store import Store
from app.http.ratelimits import RateLimits


class Terms(Protocol):
    """The process's terms snapshot, as HTTP reads it: the keys to check callers against, and
    whether it has loaded."""

    @property
    def loaded(self) -> bool: ...

    def principals(self) -> Mapping[bytes, Principal] | None: ...

    def recheck(self, authorization: bytes | None) -> Principal | None:
        """A key the snapshot does not know, if the store does; blocks (bounded) for it."""
        ...

    def is_stale(self) -> bool: ...


class Decisions(Protocol):
    """Checkout decisions this process answered, some perhaps not written to the store yet."""

    def find(self, decision_id: str) -> dict[str, Any] | None: ...

    def flush(self) -> int: ...

    @property
    def unwritten(self) -> int:
        """How many answered decisions are not written yet (held, or being written)."""
        ...


@dataclass(slots=True, kw_only=True)
class AppState:
    settings: Settings
    clock: Clock
    rate_limits: RateLimits
    terms: Terms
    decisions: Decisions
    store: Store | None = None  # opened by the lifespan
    schema_current: bool = False

    def opened_store(self) -> Store:
        if self.store is None:  # only before the lifespan has started: never in service
            raise StoreUnavailable("The store is not open yet; nothing was done.")
        return self.store


def state_of(connection: HTTPConnection) -> AppState:
    """The typed state of the app serving this request."""
    state = connection.app.state.termsgate
    assert isinstance(state, AppState)
    return state
