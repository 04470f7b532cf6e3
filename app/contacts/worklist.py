"""The worklist: who to contact on a day, one entry per customer with open tasks due, most
urgent first, and why in words a collector understands.

Priority is a sum of points, each factor capped so no one swamps the rest:

| factor | points |
| --- | --- |
| money overdue | 10 x log10(1 + overdue in major units), summed over currencies |
| days past due (oldest overdue invoice) | days / 3, at most 30 |
| payer class | poor 15, average 5, good 0, not yet classified 5 |
| promises broken in the last 365 days | 10 each, at most 30 |
| days since the last touch | days / 3, at most 10; never touched: 10 |
| a service check of an invoice not yet due | 10; for a high-value poor payer 20 |

So money at risk comes first: of two customers alike in all else, more overdue money ranks
higher. Customers whose tasks are all held (a promise or a dispute) are not on the list.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy.orm import Session

from app.contacts import figures, priorities
from app.contacts.schemas import MoneyOut, TaskOut, WorklistItem, WorklistOut
from app.core.currencies import MINOR_UNITS, to_major_units
from app.core.errors import Invalid
from app.core.paging import decode_cursor, encode_cursor
from app.core.statements import on_postgresql

CLASS_POINTS = {"poor": 15.0, "average": 5.0, "good": 0.0}
UNCLASSIFIED_POINTS = 5.0
BROKEN_WINDOW = timedelta(days=365)


@dataclass(slots=True)
class _Candidate:
    customer_id: str
    segment: str | None = None
    payer_class: str | None = None
    value_tier: str | None = None
    service_check_due: bool = False
    overdue: dict[str, int] = field(default_factory=dict)
    oldest_due: date | None = None
    broken: int = 0
    last_touch: date | None = None
    priority: float = 0.0
    why: list[str] = field(default_factory=list)


def day_list(session: Session, on: date, *, cursor: str | None, limit: int) -> WorklistOut:
    """The customers to contact on `on`, by priority (then customer id), a page at a time."""
    after = _after(cursor)
    if on_postgresql(session):
        # PostgreSQL ranks every customer due and answers the page: only it leaves the store.
        since = on - BROKEN_WINDOW
        following = None if after is None else (-after[0], after[1])
        page = [
            _Candidate(**row._asdict())
            for row in priorities.ranked(session, on, since, after=following, limit=limit + 1)
        ]
    else:
        page = ranking(session, on, after=after, limit=limit + 1)
    next_cursor = None
    if len(page) > limit:
        page = page[:limit]
        last = page[-1]
        next_cursor = encode_cursor(f"{last.priority!r}|{last.customer_id}")
    ids = [c.customer_id for c in page]
    tasks = figures.due_tasks(session, ids, on)
    owed, overdue = figures.receivables(session, ids, on)
    for candidate in page:
        candidate.overdue = overdue.get(candidate.customer_id, {})
        factors = _factors(candidate, on, words=True)
        candidate.why = [words for _, words in sorted(factors, key=lambda f: -f[0])]
    items = [
        WorklistItem(
            customer_id=c.customer_id,
            segment=c.segment,
            priority=c.priority,
            why=c.why,
            tasks=[TaskOut.of(row) for row in tasks.get(c.customer_id, [])],
            open_receivables=_money(owed.get(c.customer_id, {})),
            overdue=_money(c.overdue),
        )
        for c in page
    ]
    return WorklistOut(on=on, items=items, next_cursor=next_cursor)


def ranking(
    session: Session, on: date, *, after: tuple[float, str] | None, limit: int | None
) -> list[_Candidate]:
    """In Python: every customer due gets its priority (points without words), then the page
    after `after` is taken (without `limit`, the whole list). PostgreSQL does the same in
    priorities.ranked; tests hold the two to the same order and priorities."""
    candidates: Iterable[_Candidate] = _candidates(session, on).values()
    for candidate in candidates:
        candidate.priority = _priority(_factors(candidate, on, words=False))
    if after is not None:
        candidates = [c for c in candidates if (-c.priority, c.customer_id) > after]
    key = lambda c: (-c.priority, c.customer_id)  # noqa: E731
    if limit is None:
        return sorted(candidates, key=key)
    # Thousands are due on a busy day; only a page is wanted, and only its words.
    return heapq.nsmallest(limit, candidates, key=key)


def _candidates(session: Session, on: date) -> dict[str, _Candidate]:
    checked = figures.customers_due(session, on)
    found: dict[str, _Candidate] = {}
    for row in figures.standing(session, on, on - BROKEN_WINDOW):
        candidate = found.get(row.customer_id)
        if candidate is None:
            candidate = found[row.customer_id] = _Candidate(
                row.customer_id,
                segment=row.segment,
                payer_class=row.payer_class,
                value_tier=row.value_tier,
                service_check_due=row.customer_id in checked,
                broken=row.broken,
                last_touch=row.last_touch,
            )
        if row.currency is not None and row.owed is not None:
            candidate.overdue[row.currency] = row.owed
        if row.oldest_due is not None and (
            candidate.oldest_due is None or row.oldest_due < candidate.oldest_due
        ):
            candidate.oldest_due = row.oldest_due
    return found


def _factors(c: _Candidate, on: date, *, words: bool) -> list[tuple[float, str]]:
    """Points and, with `words`, the words for each factor (without, the words are empty:
    ranking every customer due needs only the points)."""
    factors: list[tuple[float, str]] = []
    if c.overdue:
        # int / int is correctly rounded: the float of the major units' decimal, exactly.
        # By currency code, as priorities.ranked adds them (floats: the order counts).
        owed = sorted(c.overdue.items())
        major = 0.0
        for cur, amount in owed:
            major += amount / 10 ** MINOR_UNITS[cur]
        money = ", ".join(f"{cur} {to_major_units(amount, cur)}" for cur, amount in owed if words)
        factors.append((10 * math.log10(1 + major), f"{money} overdue" if words else ""))
    if c.oldest_due is not None:
        days = (on - c.oldest_due).days
        factors.append((min(days / 3, 30.0), f"{days} days past due" if words else ""))
    if c.payer_class is None:
        factors.append((UNCLASSIFIED_POINTS, "not yet classified by a segmentation run"))
    elif CLASS_POINTS.get(c.payer_class, 0.0) > 0:
        factors.append((CLASS_POINTS[c.payer_class], f"{c.payer_class} payer" if words else ""))
    if c.broken:
        plural = "promise" if c.broken == 1 else "promises"
        said = f"{c.broken} broken {plural} this year" if words else ""
        factors.append((min(10.0 * c.broken, 30.0), said))
    if c.last_touch is None:
        factors.append((10.0, "never contacted"))
    elif (on - c.last_touch).days > 0:
        days = (on - c.last_touch).days
        said = f"last contacted {days} days ago" if words else ""
        factors.append((min(days / 3, 10.0), said))
    if c.service_check_due:
        if c.payer_class == "poor" and c.value_tier == "high":
            factors.append((20.0, "pre-due service check: a high-value poor payer"))
        else:
            factors.append((10.0, "pre-due service check"))
    return factors


def _priority(factors: list[tuple[float, str]]) -> float:
    """The sum of the points, in the order the words are shown (as it always was summed), one
    addition after another: priorities.ranked adds them so in SQL (Python 3.12's sum() adds
    floats with a compensation, which would part the two by a last bit)."""
    total = 0.0
    for points in sorted((points for points, _ in factors), reverse=True):
        total += points
    return round(total, 2)


def _after(cursor: str | None) -> tuple[float, str] | None:
    decoded = decode_cursor(cursor)
    if decoded is None:
        return None
    priority, _, customer_id = decoded.partition("|")
    try:
        return -float(priority), customer_id
    except ValueError:
        raise Invalid(
            "cursor is not one this service handed out.",
            errors=[{"loc": ["query", "cursor"], "msg": "invalid cursor"}],
        ) from None


def _money(sums: dict[str, int]) -> list[MoneyOut]:
    return [MoneyOut(amount=amount, currency=cur) for cur, amount in sorted(sums.items())]
