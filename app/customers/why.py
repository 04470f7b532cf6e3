"""Why a customer stands where it does, in words, against the bounds of the policy that
classified it: "average 20.8 days late, over the 10 allowed for average payers"."""

from __future__ import annotations

from app.core.currencies import to_major_units
from app.customers.schemas import CustomerMetrics
from app.terms.service import PayerClassBounds, Policy


def explain(
    policy: Policy,
    *,
    payer_class: str | None,
    value_tier: str | None,
    metrics: CustomerMetrics,
) -> list[str]:
    """The classification's reasons, one sentence each, with the figures and the bounds."""
    if payer_class is None:
        return [
            f"{metrics.invoices_counted} invoices counted, fewer than the policy's "
            f"{policy.min_invoices}: too little history to classify, so it is a new customer "
            f"on {policy.new_customer_segment}."
        ]
    reasons = [_payer_reason(policy, payer_class, metrics)]
    if value_tier is not None:
        reasons.append(_value_reason(policy, value_tier, metrics))
        cell = policy.matrix.get(payer_class, {}).get(value_tier)
        if cell is not None:
            reasons.append(
                f"Policy version {policy.version} places {payer_class} payers of "
                f"{value_tier} value on {cell}."
            )
    return reasons


def _payer_reason(policy: Policy, payer_class: str, metrics: CustomerMetrics) -> str:
    days, share = metrics.avg_days_late or 0.0, metrics.late_share or 0.0
    if payer_class == "good":
        return (
            f"A good payer: average {days:g} days late and {share:.0%} of invoices late, "
            f"within the {_bounds(policy.payer_classes['good'])} allowed for good payers."
        )
    if payer_class == "average":
        return (
            f"An average payer: {_missed(policy, 'good', metrics)}; within the "
            f"{_bounds(policy.payer_classes['average'])} allowed for average payers."
        )
    return f"A {payer_class} payer: {_missed(policy, 'average', metrics)}."


def _missed(policy: Policy, payer_class: str, metrics: CustomerMetrics) -> str:
    """Which of a class's bounds the figures are over, in words."""
    days, share = metrics.avg_days_late or 0.0, metrics.late_share or 0.0
    bounds = policy.payer_classes[payer_class]
    over = []
    if days > bounds.max_avg_days_late:
        over.append(
            f"average {days:g} days late, over the {bounds.max_avg_days_late:g} allowed "
            f"for {payer_class} payers"
        )
    if share > bounds.max_late_share:
        over.append(
            f"{share:.0%} of invoices late, over the {bounds.max_late_share:.0%} allowed "
            f"for {payer_class} payers"
        )
    broken, allowed = metrics.broken_promises or 0, bounds.max_broken_promises
    if allowed is not None and broken > allowed:
        over.append(
            f"{broken} promises to pay broken, over the {allowed} allowed for {payer_class} payers"
        )
    return " and ".join(over) or f"outside the bounds for {payer_class} payers"


def _bounds(bounds: PayerClassBounds) -> str:
    shown = f"{bounds.max_avg_days_late:g} days and {bounds.max_late_share:.0%}"
    if bounds.max_broken_promises is None:
        return shown
    return f"{shown} (and at most {bounds.max_broken_promises} broken promises)"


def _value_reason(policy: Policy, value_tier: str, metrics: CustomerMetrics) -> str:
    revenue = metrics.revenue
    shown = f"{revenue.currency} {to_major_units(revenue.amount, revenue.currency)}"
    high = policy.value_tiers.get("high")
    if high is None:
        return f"{value_tier.capitalize()} value: revenue {shown}."
    floor = high.min_revenue
    limit = f"{floor.currency} {to_major_units(floor.amount, floor.currency)}"
    if value_tier == "high":
        return f"High value: revenue {shown}, at least the {limit} of the high tier."
    if revenue.amount < floor.amount:
        return f"Standard value: revenue {shown}, under the {limit} of the high tier."
    margin = metrics.margin_share
    return (
        f"Standard value: revenue {shown} reaches {limit}, but a margin of "
        f"{(margin or 0):.0%} is under the {high.min_margin_pct:g}% the high tier needs."
    )
