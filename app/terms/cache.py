"""The terms cache: what checkout is answered from, with no store I/O per lookup.

A `Snapshot` (app/terms/snapshot.py: segments, pre-built answer bytes, API keys, policy
version) is immutable and swapped whole. Customers map to an answer index in one dict updated
in place (each item assignment is atomic), so a change to a handful of customers never copies
a million entries. Answer indices are handed out once per process and never reused, so an
index a reader holds is valid in every later snapshot. Credit exposure (open receivables and
open orders, what checkout's credit check adds an order to) lives beside the placements in
`credit`, kept up to date by `exposure` (app/terms/feed.py) from the change feed rather than by
snapshot versions.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from datetime import date
from typing import Final

from sqlalchemy.orm import Session

from app.core import metrics
from app.core.clock import Clock
from app.core.errors import Unauthenticated
from app.core.keys import (
    TERMS_READ,
    TOKEN_SHAPE,
    Admission,
    Principal,
    authenticate,
    authorize,
    token_digest,
)
from app.core.store import current_version
from app.terms import repository
from app.terms.feed import ExposureFeed
from app.terms.ledger import Hold
from app.terms.placement import DEFAULT, CustomerRow, Ladder, next_lapse, placement
from app.terms.recheck import KeyRecheck
from app.terms.snapshot import (
    BODY_PREFIX,
    NEVER_LOADED,
    Answer,
    AnswerKey,
    SegmentTerms,
    Snapshot,
)

# Header values whose key was checked, remembered per snapshot (see `check_key`).
CHECKED_KEYS_MAX: Final = 10_000


class TermsCache:
    """Owns the snapshot; `reload` and `catch_up` are its only writers."""

    def __init__(
        self,
        clock: Clock,
        stale_after_seconds: float,
        sessions: Callable[[], AbstractContextManager[Session]] | None = None,
    ) -> None:
        self._sessions = sessions or _no_store
        self._clock = clock
        self._stale_after = stale_after_seconds
        self._lock = threading.Lock()
        self.snapshot: Snapshot = NEVER_LOADED
        self.placements: dict[str, int] = {}
        self.exposure = ExposureFeed(clock, lambda: self._sessions())
        self.credit = self.exposure.credit
        self._answer_ids: dict[AnswerKey, int] = {}
        self._next_lapse: date | None = None
        self._ladder: Ladder | None = None
        self._synced_at = -1e9
        self._unreachable = False
        self.rechecks = KeyRecheck(self._key_in_store)

    def attach(self, sessions: Callable[[], AbstractContextManager[Session]]) -> None:
        """Where to load from: the store, once the app's lifespan has opened it."""
        self._sessions = sessions

    # -- reads (the hot path) -------------------------------------------------------------

    @property
    def loaded(self) -> bool:
        return self.snapshot is not NEVER_LOADED

    def is_stale(self) -> bool:
        return (
            self._unreachable
            or self.snapshot is NEVER_LOADED
            or time.monotonic() - self._synced_at > self._stale_after
        )

    def principals(self) -> Mapping[bytes, Principal] | None:
        """The keys of the snapshot; None until one has loaded."""
        snapshot = self.snapshot
        return None if snapshot is NEVER_LOADED else snapshot.keys

    def check_key(self, authorization: bytes | None, limit: Admission | None = None) -> bool:
        """True for a known key holding terms:read (and within `limit`, if terms:read has one);
        False for one let through unchecked.

        A header value checked once is remembered in the snapshot (not across snapshots, so a
        revocation still takes effect with the next one), which spares a SHA-256 per lookup.

        Before any snapshot has loaded no key is known, yet the lookup must not fail because the
        store is down: any bearer token shaped like a key then gets the fallback answer
        (pay-on-order, default, stale), the most restrictive one, the same for everyone.
        """
        if self.loaded:
            snapshot = self.snapshot
            principal = snapshot.checked.get(authorization) if authorization else None
            if principal is None:
                principal = self._known(authorization, snapshot)
            authorize(principal, TERMS_READ)
            if limit is not None:
                limit.admit(principal.name)
            return True
        scheme, _, token = (authorization or b"").partition(b" ")
        if scheme.lower() != b"bearer" or not TOKEN_SHAPE.fullmatch(token.strip()):
            authenticate(authorization, {})  # raises the 401 that fits
        return False

    def _known(self, authorization: bytes | None, snapshot: Snapshot) -> Principal:
        """A header value not checked yet: the snapshot's keys, else a key newer than the
        snapshot, asked of the store with a short wait (this runs on the event loop)."""
        try:
            principal = authenticate(authorization, snapshot.keys)
        except Unauthenticated:
            newer = self._newer(authorization, snapshot, self.rechecks.on_loop)
            if newer is None:
                raise
            return newer  # not memoised: `checked` may outlive this snapshot
        if authorization and len(snapshot.checked) < CHECKED_KEYS_MAX:
            snapshot.checked[authorization] = principal
        return principal

    def recheck(self, authorization: bytes | None) -> Principal | None:
        """A bearer key the snapshot does not know, if the store does: made since the snapshot
        loaded. Blocks for the store (bounded): for worker threads, never the event loop."""
        return self._newer(authorization, self.snapshot, self.rechecks.in_thread)

    def _newer(
        self,
        authorization: bytes | None,
        snapshot: Snapshot,
        ask: Callable[[bytes], Principal | None],
    ) -> Principal | None:
        scheme, _, token = (authorization or b"").partition(b" ")
        token = token.strip()
        if scheme.lower() != b"bearer" or not TOKEN_SHAPE.fullmatch(token):
            return None
        if snapshot is NEVER_LOADED or self._unreachable:
            return None
        digest = token_digest(token)
        return snapshot.found.get(digest) or ask(digest)

    def _key_in_store(self, digest: bytes) -> Principal | None:
        """The store's live key for `digest`, recorded in the snapshot current when asked."""
        snapshot = self.snapshot  # before the query: a later snapshot may hold its revocation
        with self._sessions() as session:
            key = repository.live_key(session, digest.hex())
            if key is None:
                return None
            principal = Principal(key.name, frozenset(key.scopes), key.owner)
        snapshot.found[digest] = principal
        return principal

    def answer_for(self, customer_id: str) -> Answer:
        snapshot = self.snapshot
        return snapshot.answers[self.placements.get(customer_id, snapshot.default_answer)]

    def open_receivables(self, customer_id: str, currency: str) -> int:
        return self.credit.open_receivables(customer_id, currency)

    def open_orders(self, customer_id: str, currency: str, *, but: str = "") -> int:
        """The customer's held orders in `currency`, but order `but` (being decided again)."""
        return self.credit.open_orders(customer_id, currency, time.time(), but)

    def hold(self, hold: Hold) -> None:
        """An order this process granted net terms: counted here at once, everywhere once its
        decision is recorded."""
        self.credit.hold(hold)

    def took(self, session: Session) -> None:
        """What a transaction of this process has just committed to the feed: counted here at
        once (other processes read it from the feed)."""
        self.exposure.took(session)

    def body(self, customer_id: str, answer: Answer) -> bytes:
        tail = answer.stale if self.is_stale() else answer.fresh
        return BODY_PREFIX + customer_id.encode() + tail

    def sync_age_seconds(self) -> float:
        return max(0.0, time.monotonic() - self._synced_at)

    # -- writes (the sync thread, and a writing request right after its commit) --------------

    def reload(self) -> None:
        """Load everything afresh: at start and after the store was unreachable."""
        self.exposure.reload()
        with self._lock, self._sessions() as session:
            version = current_version(session)
            self._next_lapse = None
            self._ladder = repository.ladder(session)
            placements: dict[str, int] = {}
            for customer_id, answer_id in self._placed(
                repository.customers_changed_since(session, 0), self._ladder
            ):
                if answer_id is not None:
                    placements[customer_id] = answer_id
            # After placing: the snapshot must hold every answer the placements point at.
            snapshot = self._snapshot(session, version)
            # Synced before published: a reader that sees the snapshot loaded sees it fresh.
            self._synced(len(placements))
            self.snapshot, self.placements = snapshot, placements

    def catch_up(self) -> bool:
        """Apply what changed since the snapshot's version, and the feed's changes to credit
        exposure; True if anything did."""
        placed = self._catch_up_terms()
        moved = self.exposure.catch_up()
        self._synced(len(self.placements))
        return placed or moved

    def _catch_up_terms(self) -> bool:
        with self._lock, self._sessions() as session:
            version = current_version(session)
            lapsed = self._next_lapse is not None and self._clock.today() > self._next_lapse
            if version == self.snapshot.version and not lapsed:
                return False
            ladder = repository.ladder(session)
            # A segment's terms or the new-customer segment decide whether an override still
            # tightens, so a change to either re-places everyone (both are rare, ops-paced).
            if lapsed or ladder != self._ladder:
                self._next_lapse, self._ladder = None, ladder
                rows = repository.customers_changed_since(session, 0)
                stale_ids = set(self.placements)
            else:
                rows = repository.customers_changed_since(session, self.snapshot.version)
                stale_ids = set()
            changes = list(self._placed(rows, ladder))
            self.snapshot = self._snapshot(session, version)
            placements = self.placements
            for customer_id, answer_id in changes:
                stale_ids.discard(customer_id)
                if answer_id is None:
                    placements.pop(customer_id, None)
                else:
                    placements[customer_id] = answer_id
            for customer_id in stale_ids:
                placements.pop(customer_id, None)
            return True

    def mark_unreachable(self) -> None:
        self._unreachable = True

    def _synced(self, customers: int) -> None:
        self._synced_at = time.monotonic()
        self._unreachable = False
        metrics.CACHE_CUSTOMERS.set(customers)

    def _placed(
        self, rows: Iterable[CustomerRow], ladder: Ladder
    ) -> Iterable[tuple[str, int | None]]:
        today = self._clock.today()
        answer_id = self._answer_id
        for row in rows:
            placed = placement(row, today, ladder)
            lapse = next_lapse(row, today)
            if lapse is not None and (self._next_lapse is None or lapse < self._next_lapse):
                self._next_lapse = lapse
            yield row.customer_id, None if placed is None else answer_id(*placed)

    def _answer_id(
        self, segment_key: str, source: str, credit_limit: tuple[int, str] | None = None
    ) -> int:
        key = (segment_key, source, credit_limit)
        found = self._answer_ids.get(key)
        if found is None:
            found = self._answer_ids[key] = len(self._answer_ids)
        return found

    def _snapshot(self, session: Session, version: int) -> Snapshot:
        policy = repository.policy_in_force(session)
        segments = {row.key: SegmentTerms.of(row) for row in repository.segments(session)}
        default_id = self._answer_id(policy.document["new_customer_segment"], DEFAULT)
        previous = self.snapshot
        # Ids are handed out in insertion order, so the registry's order is the ids' order.
        answers = tuple(
            Answer.build(segments[key].with_credit_limit(limit), source, policy.version)
            if key in segments
            else previous.answers[answer_id]
            for answer_id, (key, source, limit) in enumerate(self._answer_ids)
        )
        keys = {
            bytes.fromhex(key.token_sha256): Principal(key.name, frozenset(key.scopes), key.owner)
            for key in repository.live_keys(session)
        }
        # Checked header values stay valid while the keys are the same ones; any change to
        # the keys (a revocation above all) starts the memo afresh. Keys found since the last
        # snapshot are never carried: the new one holds them, or they were revoked.
        checked = previous.checked if keys == previous.keys else {}
        return Snapshot(version, policy.version, default_id, segments, answers, keys, checked)


@contextmanager
def _no_store() -> Iterator[Session]:
    raise RuntimeError("the terms cache is not attached to a store yet")
    yield  # pragma: no cover
