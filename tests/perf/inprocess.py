"""The snapshot measured inside this process: lookup cost, memory per customer, load time.

Import after PROMETHEUS_MULTIPROC_DIR is set (run.py does), so the lookup's counters are the
multiprocess ones `termsgate serve` uses.
"""

from __future__ import annotations

import gc
import os
import random
import sys
import time
import timeit
import tracemalloc
from collections.abc import Callable
from typing import NamedTuple

from app.core.clock import Clock
from app.core.config import Settings
from app.core.store import Store
from app.terms.cache import TermsCache
from app.terms.lookup import TermsLookup
from tests.perf.dataset import customer_id

UNKNOWN_SHARE = 0.02


class Loads(NamedTuple):
    seconds: list[float]
    customers: int
    first_rss_growth: int


class Costs(NamedTuple):
    lookup_ns: float
    answer_and_body_ns: float
    calls: int


class Memory(NamedTuple):
    traced_bytes: int
    peak_bytes: int
    dict_bytes: int
    id_bytes: int
    customers: int


def new_id() -> bytes:
    """Only refusals draw a request id; the timed lookups all succeed."""
    return b"bench-1"


def new_cache(url: str) -> tuple[TermsCache, Store]:
    store = Store(Settings(database_url=url))
    return TermsCache(Clock(), stale_after_seconds=3600.0, sessions=store.reading), store


def cold_loads(url: str, runs: int) -> Loads:
    """`reload()` wall time on a fresh cache each run (the previous one freed first).

    Also the resident-set growth over the first run: the snapshot plus allocator slack.
    """
    seconds: list[float] = []
    customers = rss_growth = 0
    for run in range(runs):
        cache, store = new_cache(url)
        gc.collect()
        rss_before = rss_bytes()
        started = time.perf_counter()
        cache.reload()
        seconds.append(time.perf_counter() - started)
        if run == 0:
            rss_growth = rss_bytes() - rss_before
        customers = len(cache.placements)
        del cache
        store.dispose()
    return Loads(seconds, customers, rss_growth)


def memory(url: str) -> Memory:
    """Bytes allocated by one `reload()` and still held after it, per tracemalloc."""
    cache, store = new_cache(url)
    try:
        gc.collect()
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        cache.reload()
        gc.collect()
        after, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        placements = cache.placements
        return Memory(
            traced_bytes=after - before,
            peak_bytes=peak - before,
            dict_bytes=sys.getsizeof(placements),
            id_bytes=sum(map(sys.getsizeof, placements)),
            customers=len(placements),
        )
    finally:
        store.dispose()


def sample_paths(customers: int, count: int, seed: int = 11) -> list[str]:
    """Customer ids like wrk asks for: random placed ones, ~2% never placed."""
    rng = random.Random(seed)
    top = int(customers / (1 - UNKNOWN_SHARE))
    return [customer_id(rng.randint(1, top)) for _ in range(count)]


def costs(url: str, token: str, customers: int, calls: int = 200_000, repeat: int = 7) -> Costs:
    """ns per `TermsLookup.answer` (auth included) and per `answer_for` + `body`, best of N."""
    cache, store = new_cache(url)
    try:
        cache.reload()
        ids = sample_paths(customers, calls)
        paths = [f"/v1/customers/{i}/terms" for i in ids]
        # What uvicorn hands the edge for wrk's request: Host first, then the script's header.
        headers = [(b"host", b"127.0.0.1:8000"), (b"authorization", f"Bearer {token}".encode())]
        endpoint = TermsLookup(cache)
        statuses = {endpoint.answer(headers, "GET", path, b"", new_id)[0] for path in paths[:1000]}
        if statuses != {200}:
            raise RuntimeError(f"in-process lookups answered {sorted(statuses)}, not only 200")

        def lookups() -> None:
            for path in paths:
                endpoint.answer(headers, "GET", path, b"", new_id)

        def answers() -> None:
            for i in ids:
                cache.body(i, cache.answer_for(i))

        return Costs(_ns(lookups, calls, repeat), _ns(answers, calls, repeat), calls)
    finally:
        store.dispose()


def _ns(work: Callable[[], None], calls: int, repeat: int) -> float:
    return min(timeit.repeat(work, number=1, repeat=repeat)) / calls * 1e9


def rss_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
