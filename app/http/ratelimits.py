"""Per-key rate limits: a token bucket for each (API key, scope the endpoint requires).

Per scope, so a billing backfill that drains its key's `invoices:write` bucket never slows the
same key's (or anyone's) terms lookups and checkout decisions. The buckets live in each process:
no shared state on the hot path, so with N processes the fleet admits up to N times the rate.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Mapping
from typing import Final

from app.core import metrics
from app.core.config import ANY_KEY, DEFAULT_RATE_LIMITS, RateLimit, with_defaults
from app.core.errors import RateLimited

# Past this many buckets in one scope, full ones (the same as none) are dropped. Keys are
# bounded by the key table; this only keeps revoked keys' buckets from lingering.
BUCKETS_MAX: Final = 10_000
REFUSED: Final = {scope: metrics.RATE_LIMITED.labels(scope=scope) for scope in DEFAULT_RATE_LIMITS}


class ScopeLimit:
    """One scope's buckets, one per key: `burst` tokens at most, refilled at `per_second`."""

    def __init__(
        self, scope: str, limit: RateLimit, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.scope = scope
        self.per_second = limit.per_second
        self.burst = float(limit.burst)
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}  # key name -> (tokens, as of)
        self._prune_at = BUCKETS_MAX
        self._lock = threading.Lock()  # FastAPI runs sync dependencies on a thread pool

    def admit(self, key_name: str) -> None:
        """Take a token from the key's bucket, or raise RateLimited (nothing was done)."""
        with self._lock:
            now = self._clock()
            tokens = self._tokens(key_name, now)
            if tokens >= 1:
                self._buckets[key_name] = (tokens - 1, now)
                if len(self._buckets) > self._prune_at:
                    self._forget_full(now)
                return
            self._buckets[key_name] = (tokens, now)
        retry_after = max(1, math.ceil((1 - tokens) / self.per_second))
        REFUSED[self.scope].inc()
        raise RateLimited(
            f"This key is over its rate limit for '{self.scope}' ({self.per_second:g} requests "
            f"a second, bursts of {self.burst:g}); nothing was done. Retry in {retry_after} s.",
            retry_after=retry_after,
            limit_headers={
                "RateLimit-Policy": self.policy,
                "RateLimit": f'"{self.scope}";r=0;t={retry_after}',
            },
        )

    @property
    def policy(self) -> str:
        """The bucket as an IETF RateLimit-Policy item (draft-ietf-httpapi-ratelimit-headers):
        a quota of `burst` requests over the window in which an empty bucket fills again."""
        window = max(1, math.ceil(self.burst / self.per_second))
        return f'"{self.scope}";q={self.burst:.0f};w={window}'

    def _tokens(self, key_name: str, now: float) -> float:
        held = self._buckets.get(key_name)
        if held is None:
            return self.burst
        tokens, as_of = held
        return min(self.burst, tokens + (now - as_of) * self.per_second)

    def _forget_full(self, now: float) -> None:
        """Drop the buckets that have refilled: a full bucket and no bucket admit alike."""
        for key_name in [k for k in self._buckets if self._tokens(k, now) >= self.burst]:
            del self._buckets[key_name]
        self._prune_at = max(BUCKETS_MAX, 2 * len(self._buckets))


class RateLimits:
    """Every scope's buckets in this process; `for_scope` is None where a scope is unlimited."""

    def __init__(
        self,
        configured: Mapping[str, RateLimit | None],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._by_scope = {
            scope: ScopeLimit(scope, limit, clock)
            for scope, limit in with_defaults(configured).items()
            if limit is not None
        }

    def for_scope(self, scope: str | None) -> ScopeLimit | None:
        return self._by_scope.get(scope or ANY_KEY)

    def admit(self, key_name: str, scope: str | None) -> None:
        """Draw from the key's bucket for `scope` (None: an endpoint open to any key)."""
        limit = self.for_scope(scope)
        if limit is not None:
            limit.admit(key_name)
