"""The rules for changing the segmentation policy: every accepted policy is a new version.

Old versions are kept, so a run or a lookup can always say which policy placed a customer.
The write goes through the writing session, whose store-version bump makes every replica's
terms cache reload the policy (its version and its new-customer segment) along with it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from app.audit import service as audit
from app.core.clock import Clock
from app.core.errors import Invalid, NotFound
from app.core.keys import Principal
from app.core.models import SegmentationPolicy
from app.core.paging import decode_cursor, page_of
from app.core.preconditions import check_if_match
from app.segmentation import repository
from app.segmentation.schemas import PolicyIn, PolicyOut

WHAT = "The segmentation policy"
MAX_VERSION = 2**31 - 1  # the column is a 32-bit integer on PostgreSQL


def in_force(session: Session) -> PolicyOut:
    return PolicyOut.of(repository.policy_in_force(session))


def version(session: Session, number: int) -> PolicyOut:
    row = repository.policy_version(session, number)
    if row is None:
        raise NotFound(f"The segmentation policy has no version {number}.")
    return PolicyOut.of(row)


def versions(
    session: Session, cursor: str | None, limit: int
) -> tuple[list[PolicyOut], str | None]:
    """Every version, newest first."""
    before = _version_cursor(decode_cursor(cursor))
    rows = repository.policy_versions(session, before, limit)
    rows, next_cursor = page_of(rows, limit, "version")
    return [PolicyOut.of(row) for row in rows], next_cursor


def replace(
    session: Session,
    body: PolicyIn,
    *,
    if_match: str | None,
    who: Principal,
    clock: Clock,
    reason: str | None,
) -> PolicyOut:
    """Store `body` as the next version, under If-Match on the version in force."""
    current = repository.policy_in_force(session)
    check_if_match(if_match, current.version, WHAT)
    errors = problems_with(session, body)
    if errors:
        summary = "; ".join(error["msg"] for error in errors[:3])
        raise Invalid(f"The policy is not consistent ({summary}).", errors=errors)
    row = SegmentationPolicy(
        version=current.version + 1,
        document=body.document(),
        created_at=clock.now(),
        created_by=who.name,
    )
    session.add(row)
    session.flush()
    out = PolicyOut.of(row)
    audit.record(
        session,
        audit.Entry(
            actor=who.name,
            action="policy.updated",
            entity_type="segmentation_policy",
            entity_id=str(row.version),
            occurred_at=row.created_at,
            before=PolicyOut.of(current).model_dump(mode="json"),
            after=out.model_dump(mode="json"),
            reason=reason,
        ),
    )
    return out


def problems_with(session: Session, body: PolicyIn) -> list[dict[str, Any]]:
    """What the fields cannot say alone: segments exist, bounds in order, one currency."""
    errors: list[dict[str, Any]] = []
    cells = {
        (payer_class, value_tier): segment
        for payer_class, row in body.matrix.model_dump().items()
        for value_tier, segment in row.items()
    }
    named = {*cells.values(), body.new_customer_segment}
    existing = repository.existing_segments(session, named)
    for (payer_class, value_tier), segment in cells.items():
        if segment not in existing:
            errors.append(
                _error(["matrix", payer_class, value_tier], f"segment '{segment}' does not exist")
            )
    if body.new_customer_segment not in existing:
        errors.append(
            _error(
                ["new_customer_segment"],
                f"segment '{body.new_customer_segment}' does not exist",
            )
        )
    good, average = body.payer_classes.good, body.payer_classes.average
    if average.max_avg_days_late < good.max_avg_days_late:
        errors.append(
            _error(
                ["payer_classes", "average", "max_avg_days_late"],
                "must be at least good's max_avg_days_late: average may not be stricter than good",
            )
        )
    if average.max_late_share < good.max_late_share:
        errors.append(
            _error(
                ["payer_classes", "average", "max_late_share"],
                "must be at least good's max_late_share: average may not be stricter than good",
            )
        )
    if _stricter(average.max_broken_promises, good.max_broken_promises):
        errors.append(
            _error(
                ["payer_classes", "average", "max_broken_promises"],
                "must be absent or at least good's max_broken_promises: average may not be "
                "stricter than good",
            )
        )
    min_revenue = body.value_tiers.high.min_revenue
    if min_revenue.currency != body.currency:
        errors.append(
            _error(
                ["value_tiers", "high", "min_revenue", "currency"],
                f"must be the policy's currency ({body.currency})",
            )
        )
    return errors


def _stricter(bound: int | None, than: int | None) -> bool:
    """Whether a bound on broken promises (None: none) is stricter than another."""
    return bound is not None and (than is None or bound < than)


def _error(loc: list[str], msg: str) -> dict[str, Any]:
    return {"loc": ["body", *loc], "msg": msg}


def _version_cursor(after: str | None) -> int | None:
    if after is None:
        return None
    if not (after.isascii() and after.isdigit()) or not 1 <= int(after) <= MAX_VERSION:
        raise Invalid(
            "cursor is not one this service handed out.",
            errors=[{"loc": ["query", "cursor"], "msg": "invalid cursor"}],
        )
    return int(after)
