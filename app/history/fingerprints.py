"""Finding invoice ids a file repeats, in 8 bytes a row rather than a set of the ids.

A set of a million short ids costs about 100 MB (the strings plus the set's table); their
64-bit fingerprints in typed arrays cost 8 MB. Fingerprints that repeat are found at the end, a
bucket at a time; they are suspects only, until the ids themselves are compared (a second read
of the file, needed only when there are suspects, so in practice only for a file that does
repeat an id).
"""

from __future__ import annotations

from array import array
from typing import Final

BUCKETS: Final = 256


def fingerprint(invoice_id: str) -> int:
    """Python's own 64-bit string hash: fast, and stable within one process, which is all
    that is asked (both reads of the file happen in the same process)."""
    return hash(invoice_id)


class SeenIds:
    """Every invoice id seen, as its fingerprint."""

    def __init__(self) -> None:
        self._buckets = [array("q") for _ in range(BUCKETS)]

    def add(self, invoice_id: str) -> None:
        value = fingerprint(invoice_id)
        self._buckets[value % BUCKETS].append(value)

    def suspects(self) -> frozenset[int]:
        """Fingerprints seen more than once; memory beyond the arrays is one bucket's set."""
        repeated: set[int] = set()
        for bucket in self._buckets:
            seen: set[int] = set()
            for value in bucket:
                if value in seen:
                    repeated.add(value)
                else:
                    seen.add(value)
        return frozenset(repeated)
