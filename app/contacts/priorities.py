"""The worklist's day ranked in PostgreSQL: one statement groups each figure once, gives every
customer due its points, orders them and stops at the page, so only the page leaves the store.
It computes each priority to the same float as worklist._priority (SQLite ranks in Python),
and tests hold the two to the same order and priorities."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time
from typing import Final, NamedTuple

from sqlalchemy import text
from sqlalchemy.orm import Session

from app.core.currencies import MINOR_UNITS


class Ranked(NamedTuple):
    """One customer of a page ranked by PostgreSQL: what the page's words are made of (but the
    overdue money by currency: see receivables), and the priority, computed in the statement
    to the same float as worklist._priority's."""

    customer_id: str
    segment: str | None
    payer_class: str | None
    value_tier: str | None
    service_check_due: bool
    oldest_due: date | None
    broken: int
    last_touch: date | None
    priority: float


def ranked(
    session: Session,
    on: date,
    broken_since: date,
    *,
    after: tuple[float, str] | None,
    limit: int,
) -> list[Ranked]:
    """PostgreSQL: the customers due on `on`, by priority (higher first, then customer id),
    after the cursor's (priority, customer id), at most `limit`. Only they leave the store."""
    params: dict[str, object] = {
        "on": on,
        "end": datetime.combine(on, time.max, tzinfo=UTC),
        "since": broken_since,
        "after_priority": None if after is None else after[0],
        "after_id": None if after is None else after[1],
        "limit": limit,
    }
    # The joins of grouped figures are estimated at millions of rows (PostgreSQL cannot tell
    # each has one row per customer), which passes jit_above_cost: compiling then took seconds.
    session.execute(text("SET LOCAL jit = off"))
    return [
        Ranked(
            row.customer_id,
            row.segment_key,
            row.payer_class,
            row.value_tier,
            row.check_due,
            row.oldest_due,
            row.broken,
            row.last_day,
            row.priority,
        )
        for row in session.execute(_RANKED, params)
    ]


def _exponents() -> str:
    """10**exponent of a currency as a float8 CASE: the groups other than 2, by IN lists."""
    groups: dict[int, list[str]] = defaultdict(list)
    for code, exponent in MINOR_UNITS.items():
        groups[exponent].append(code)
    whens = " ".join(
        f"WHEN currency IN ({', '.join(repr(c) for c in sorted(codes))}) THEN {10**exp}.0"
        for exp, codes in sorted(groups.items())
        if exp != 2
    )
    return f"CAST(CASE {whens} ELSE 100.0 END AS float8)"


# A sorting network for six values (Knuth, 12 comparators in 5 layers), largest first: the
# points are added largest first in Python, and float addition is not associative.
_NETWORK: Final = (
    ((0, 5), (1, 3), (2, 4)),
    ((1, 2), (3, 4)),
    ((0, 3), (2, 5)),
    ((0, 1), (2, 3), (4, 5)),
    ((1, 2), (3, 4)),
)
_KEPT: Final = (
    "customer_id, segment_key, payer_class, value_tier, check_due, oldest_due, broken, last_day"
)


def _sorted_layers() -> str:
    """Each layer a subquery of its own (OFFSET 0 keeps PostgreSQL from pulling it up and
    evaluating every earlier layer's expressions again in each later one)."""
    query = "factors"
    for depth, layer in enumerate(_NETWORK):
        columns = {k: f"f{k}" for k in range(6)}
        for i, j in layer:
            columns[i] = f"GREATEST(f{i}, f{j})"
            columns[j] = f"LEAST(f{i}, f{j})"
        shown = ", ".join(f"{expr} AS f{k}" for k, expr in columns.items())
        query = f"(SELECT {_KEPT}, {shown} FROM {query} OFFSET 0) AS layer{depth}"
    return query


# Python's round(x, 2) exactly: the integer nearest x * 100, ties to even, over x's exact binary
# value. y = x * 100 in floats is that product rounded; rounding y differs only when y lands on a
# half exactly, and then x * 2**54 (exact, as x lies in [0.25, 512): every priority above 0 is at
# least 1/3) decides in numeric. r / 100 is then the float nearest the decimal, as round's is.
_ROUNDED: Final = """
    CASE WHEN x * 100 - floor(x * 100) = 0.5 AND x >= 0.25 AND x < 512 THEN
        CASE sign(CAST(CAST(x * CAST(18014398509481984 AS float8) AS bigint) AS numeric) * 100
                  - CAST(CAST(2 * floor(x * 100) + 1 AS bigint) AS numeric) * 9007199254740992)
            WHEN 1 THEN floor(x * 100) + 1
            WHEN -1 THEN floor(x * 100)
            ELSE round(x * 100)
        END
    ELSE round(x * 100) END / 100"""

_RANKED: Final = text(
    f"""
WITH due AS (
    SELECT customer_id FROM contact_tasks
    WHERE status = 'open' AND scheduled_on <= :on
    GROUP BY customer_id
), owed AS (
    SELECT customer_id, currency, sum(amount - paid_amount) AS owed, min(due_on) AS oldest_due
    FROM invoices
    WHERE paid_amount < amount AND due_on < :on
    GROUP BY customer_id, currency
), money AS (
    -- Python adds the currencies' major units by currency code. Two floats add up the same in
    -- either order (a + b = b + a); three or more may not, and a customer owing in three
    -- currencies is rare: only they add theirs again in order, from their own invoices.
    SELECT customer_id,
        sum(CAST(owed AS float8) / {_exponents()}) AS major,
        count(*) AS currencies,
        min(oldest_due) AS oldest_due
    FROM owed
    GROUP BY customer_id
), broken AS (
    SELECT customer_id, count(*) AS broken FROM promises
    WHERE status = 'broken' AND keep_by >= :since AND keep_by < :on
    GROUP BY customer_id
), touched AS (
    SELECT customer_id, CAST(max(occurred_at) AT TIME ZONE 'UTC' AS date) AS last_day
    FROM touches
    WHERE occurred_at <= :end
    GROUP BY customer_id
), checks AS (
    SELECT DISTINCT t.customer_id
    FROM contact_tasks AS t JOIN invoices AS i ON i.invoice_id = t.invoice_id
    WHERE t.status = 'open' AND t.scheduled_on <= :on AND t.kind = 'service_check'
        AND i.due_on >= :on
), factors AS (
    SELECT due.customer_id, c.segment_key, c.payer_class, c.value_tier,
        k.customer_id IS NOT NULL AS check_due, m.oldest_due,
        CAST(coalesce(b.broken, 0) AS integer) AS broken, t.last_day,
        CASE WHEN m.major IS NULL THEN CAST(0 AS float8)
            WHEN m.currencies <= 2 THEN 10 * log(1 + m.major)
            ELSE 10 * log(1 + (
                SELECT sum(CAST(o.owed AS float8) / {_exponents()} ORDER BY currency COLLATE "C")
                FROM (
                    SELECT currency, sum(amount - paid_amount) AS owed FROM invoices
                    WHERE customer_id = due.customer_id AND paid_amount < amount
                        AND due_on < :on
                    GROUP BY currency
                ) AS o)) END AS f0,
        CASE WHEN m.oldest_due IS NULL THEN CAST(0 AS float8)
            ELSE LEAST(CAST(:on - m.oldest_due AS float8) / 3, 30) END AS f1,
        CAST(CASE WHEN c.payer_class IS NULL THEN 5 WHEN c.payer_class = 'poor' THEN 15
            WHEN c.payer_class = 'average' THEN 5 ELSE 0 END AS float8) AS f2,
        CAST(LEAST(10 * coalesce(b.broken, 0), 30) AS float8) AS f3,
        CASE WHEN t.last_day IS NULL THEN CAST(10 AS float8)
            WHEN :on - t.last_day > 0 THEN LEAST(CAST(:on - t.last_day AS float8) / 3, 10)
            ELSE CAST(0 AS float8) END AS f4,
        CAST(CASE WHEN k.customer_id IS NULL THEN 0
            WHEN c.payer_class = 'poor' AND c.value_tier = 'high' THEN 20 ELSE 10 END
            AS float8) AS f5
    FROM due
    LEFT JOIN customers AS c ON c.customer_id = due.customer_id
    LEFT JOIN money AS m ON m.customer_id = due.customer_id
    LEFT JOIN broken AS b ON b.customer_id = due.customer_id
    LEFT JOIN touched AS t ON t.customer_id = due.customer_id
    LEFT JOIN checks AS k ON k.customer_id = due.customer_id
    OFFSET 0
), summed AS (
    SELECT {_KEPT}, f0 + f1 + f2 + f3 + f4 + f5 AS x
    FROM {_sorted_layers()}
    OFFSET 0
), ranked AS (
    SELECT {_KEPT}, {_ROUNDED} AS priority FROM summed
)
SELECT {_KEPT}, priority FROM ranked
WHERE CAST(:after_priority AS float8) IS NULL
    OR priority < :after_priority
    OR (priority = :after_priority AND customer_id COLLATE "C" > :after_id)
ORDER BY priority DESC, customer_id COLLATE "C"
LIMIT :limit
"""
)
