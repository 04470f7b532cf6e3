"""A segmentation run: classify every customer with invoices, then record (dry) or apply it.

The tallies are read in a reading transaction, so a run over a million invoices never holds the
writers' lock while the database sums them; the customers' current state, the moves and (when
applied) every assignment are then read and written in one writing transaction.
"""

from __future__ import annotations

import re
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy.orm import Session

from app.audit import service as audit
from app.core.clock import Clock
from app.core.errors import Invalid, NotFound
from app.core.models import SegmentationRun
from app.core.paging import decode_cursor, encode_cursor, page_of
from app.core.store import Store, written_version
from app.core.vocabulary import is_caller_id
from app.segmentation_runs import repository, tallies
from app.segmentation_runs.classification import Classified, Rules, metrics
from app.segmentation_runs.repository import Assignment
from app.segmentation_runs.schemas import MoveOut, RunOut
from app.terms import service as terms

PINNED = frozenset({terms.OVERRIDE, terms.EXCEPTION})
RUN_ID = re.compile(r"run_[0-9a-f]{32}")


@dataclass(slots=True)
class _Outcome:
    """What comparing the classification with where customers stand found."""

    counts_before: Counter[str] = field(default_factory=Counter)
    counts_after: Counter[str] = field(default_factory=Counter)
    assigned: dict[str, str | None] = field(default_factory=dict)  # before the run
    changes: list[tuple[str, bool]] = field(default_factory=list)  # (customer, held)
    moved: int = 0
    held: int = 0


def run(store: Store, *, as_of: date | None, dry_run: bool, actor: str, clock: Clock) -> RunOut:
    """Classify every customer with invoices as of `as_of` (default today) and record the run;
    unless `dry_run`, apply every assignment in one transaction."""
    today = clock.today()
    as_of = as_of or today
    if as_of > today:
        raise Invalid(
            f"as_of {as_of} is after today ({today}): a run classifies payment history so far.",
            errors=[{"loc": ["body", "as_of"], "msg": "must not be after today"}],
        )
    with store.reading() as session:
        tallies.allow_long_statements(session)
        rules = Rules.of(terms.policy_in_force(session))
        window_start = rules.window_start(as_of)
        classified = {
            tally.customer_id: rules.classify(tally)
            for tally in tallies.tallies(session, as_of, window_start, rules.currency)
        }
    run_id = f"run_{uuid.uuid4().hex}"
    with store.writing() as session:
        tallies.allow_long_statements(session)
        now = clock.now()
        outcome = _compare(session, classified, rules, today)
        row = SegmentationRun(
            id=run_id,
            as_of=as_of,
            dry_run=dry_run,
            policy_version=rules.version,
            classified=len(classified),
            moved=outcome.moved,
            held=outcome.held,
            counts_before=_counts(outcome.counts_before, outcome, rules),
            counts_after=_counts(outcome.counts_after, outcome, rules),
            created_at=now,
            created_by=actor,
        )
        repository.add_run(session, row)
        repository.add_moves(session, _moves(run_id, classified, outcome, rules))
        if not dry_run:
            repository.apply_assignments(
                session,
                _assignments(classified, outcome, rules),
                run_id=run_id,
                by=f"run:{run_id}",
                at=now,
                version=written_version(session),
            )
        summary = RunOut.of(row)
        audit.record(
            session,
            audit.Entry(
                actor=actor,
                action="segmentation_run.dry_run" if dry_run else "segmentation_run.applied",
                entity_type="segmentation_run",
                entity_id=run_id,
                occurred_at=now,
                after=summary.model_dump(mode="json", exclude={"created_at", "created_by"}),
            ),
        )
    return summary


def get(session: Session, run_id: str) -> RunOut:
    return RunOut.of(_existing(session, run_id))


def listing(session: Session, cursor: str | None, limit: int) -> tuple[list[RunOut], str | None]:
    """Runs, newest first."""
    rows = repository.runs_page(session, _after_run(cursor), limit)
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        next_cursor = encode_cursor(f"{rows[-1].created_at.isoformat()}|{rows[-1].id}")
    return [RunOut.of(row) for row in rows], next_cursor


def moves(
    session: Session, run_id: str, *, cursor: str | None, limit: int
) -> tuple[list[MoveOut], str | None]:
    """A run's moves by customer_id."""
    _existing(session, run_id)
    after = decode_cursor(cursor)
    if after is not None and not is_caller_id(after):
        raise _bad_cursor()
    rows = repository.moves_page(session, run_id, after, limit)
    page, next_cursor = page_of(rows, limit, "customer_id")
    return [MoveOut.of(row) for row in page], next_cursor


def _compare(
    session: Session, classified: dict[str, Classified], rules: Rules, today: date
) -> _Outcome:
    """Where each classified customer stands today, and where it would stand after the run."""
    states = {
        state.customer_id: state
        for state in terms.customer_states(session)
        if state.customer_id in classified
    }
    ladder = terms.Ladder.of(terms.segments(session), rules.new_customer_segment)
    outcome = _Outcome()
    for customer_id in sorted(classified):
        segment = classified[customer_id].segment
        state = states.get(customer_id) or terms.CustomerRow(customer_id, *([None] * 7))
        placed = terms.placement(state, today, ladder)
        after = terms.placement(state._replace(segment_key=segment), today, ladder)
        assert after is not None, "a customer with a segment is always placed"
        outcome.counts_before[placed.segment_key if placed else rules.new_customer_segment] += 1
        outcome.counts_after[after.segment_key] += 1
        outcome.assigned[customer_id] = state.segment_key
        if state.segment_key == segment:
            continue
        # Held: a pin still decides after the run. An override the run's segment would make
        # looser stands aside, so that customer moves.
        held = after.source in PINNED
        outcome.changes.append((customer_id, held))
        outcome.held += held
        outcome.moved += not held
    return outcome


def _moves(
    run_id: str, classified: dict[str, Classified], outcome: _Outcome, rules: Rules
) -> Iterator[dict[str, object]]:
    for customer_id, held in outcome.changes:
        found = classified[customer_id]
        yield {
            "run_id": run_id,
            "customer_id": customer_id,
            "from_segment": outcome.assigned[customer_id],
            "to_segment": found.segment,
            "payer_class": found.payer_class,
            "value_tier": found.value_tier,
            "held": held,
            "metrics": metrics(found.tally, rules.currency),
        }


def _assignments(
    classified: dict[str, Classified], outcome: _Outcome, rules: Rules
) -> Iterator[Assignment]:
    for customer_id, found in classified.items():
        yield Assignment(
            customer_id,
            outcome.assigned[customer_id],
            found.segment,
            found.payer_class,
            found.value_tier,
            metrics(found.tally, rules.currency),
        )


def _counts(counts: Counter[str], outcome: _Outcome, rules: Rules) -> dict[str, int]:
    """By segment key: every segment the policy names or a customer stands on, zeros included."""
    keys = {*rules.segments_named(), *outcome.counts_before, *outcome.counts_after}
    return {key: counts.get(key, 0) for key in sorted(keys)}


def _existing(session: Session, run_id: str) -> SegmentationRun:
    row = repository.run(session, run_id)
    if row is None:
        raise NotFound(f"Segmentation run '{run_id}' does not exist.")
    return row


def _after_run(cursor: str | None) -> tuple[datetime, str] | None:
    key = decode_cursor(cursor)
    if key is None:
        return None
    stamp, _, run_id = key.partition("|")
    try:
        created_at = datetime.fromisoformat(stamp)
        if created_at.tzinfo is None or not RUN_ID.fullmatch(run_id):
            raise ValueError(key)
        return created_at.astimezone(UTC), run_id
    except (ValueError, OverflowError):
        raise _bad_cursor() from None


def _bad_cursor() -> Invalid:
    return Invalid(
        "cursor is not one this service handed out.",
        errors=[{"loc": ["query", "cursor"], "msg": "invalid cursor"}],
    )
