"""The DSO trend as CSV: one row per period and segment, the overall row first."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from app.kpis.dso import Dso
from app.kpis.trend import TrendPeriod

MEDIA_TYPE = "text/csv"
HEADER = (
    "from", "to", "days", "scope", "segment", "currency", "credit_sales", "receivables_end",
    "current_receivables", "dso", "best_possible_dso", "add",
)  # fmt: skip


def trend_csv(periods: list[TrendPeriod]) -> str:
    """Money in minor units; days with 2 decimals, empty when null. `scope` is `overall`
    (with segment `overall`) or `segment`, so a segment keyed "overall" stays apart."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for found in periods:
        writer.writerow(_row(found.overall, "overall", "overall"))
        for key, dso in found.segments.items():
            writer.writerow(_row(dso, "segment", key))
    return out.getvalue()


def _row(found: Dso, scope: str, segment: str) -> list[object]:
    period = found.period
    return [
        period.start.isoformat(), period.end.isoformat(), period.days, scope, segment,
        found.currency, found.credit_sales, found.receivables_end, found.current_receivables,
        _days(found.dso), _days(found.best_possible_dso), _days(found.add),
    ]  # fmt: skip


def _days(value: Decimal | None) -> str:
    return "" if value is None else f"{value:.2f}"


def wants_csv(accept: str | None) -> bool:
    """Whether the Accept header names text/csv (with a q above 0)."""
    for part in (accept or "").split(","):
        media, *params = (piece.strip() for piece in part.split(";"))
        if media.lower() != MEDIA_TYPE:
            continue
        weights = [p.split("=", 1)[1] for p in params if p.lower().startswith("q=")]
        try:
            return not weights or float(weights[0]) > 0
        except ValueError:
            return True
    return False
