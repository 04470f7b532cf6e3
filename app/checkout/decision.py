"""Deciding an order's terms from the snapshot: no store I/O, the same rules on every replica.

Granted terms are the customer's allowed terms, or shorter ones if checkout asked for them;
looser requests are cut to the allowed terms. Net terms that would take the customer's open
exposure in the order's currency (open receivables plus open orders) past its credit limit
become pay-on-order.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Final

from app.checkout.schemas import DecisionIn
from app.terms.service import DEFAULT, EXCEPTION, NEVER_LOADED, Answer, Hold, TermsCache

# The contract's order; a decision lists its reasons in it.
REASONS: Final = (
    "segment_pay_on_order",
    "new_customer",
    "requested_terms_exceed_allowed",
    "credit_limit_exceeded",
    "exception_applied",
    "store_unavailable",
)
PAY_ON_ORDER: Final = {"type": "pay_on_order", "net_days": 0}


def decide(
    cache: TermsCache, order: DecisionIn, known: bool, decision_id: str, decided_at: str
) -> dict[str, Any]:
    """The decision document: what checkout is answered and what is recorded.

    `known` is False when the caller's key was let through before any snapshot had loaded:
    then, as with no snapshot at all, the order is pay-on-order because the store is away.
    """
    if not known or not cache.loaded:
        return _document(
            order,
            decision_id,
            decided_at,
            NEVER_LOADED.answers[NEVER_LOADED.default_answer],
            terms=PAY_ON_ORDER,
            reasons=["store_unavailable"],
            policy_version=None,
            open_receivables=0,
            exposure=0,
            stale=True,
        )
    snapshot = cache.snapshot
    answer = cache.answer_for(order.customer_id)
    segment = answer.segment
    allowed = segment.terms
    reasons: set[str] = set()
    if answer.source == DEFAULT:
        reasons.add("new_customer")
    elif answer.source == EXCEPTION:
        reasons.add("exception_applied")
    if allowed["type"] == "pay_on_order":
        reasons.add("segment_pay_on_order")
    terms: dict[str, Any] = dict(allowed)
    requested = order.requested_terms
    if requested is not None:
        if requested.net_days > allowed["net_days"]:
            reasons.add("requested_terms_exceed_allowed")
        else:
            terms = {"type": requested.type, "net_days": requested.net_days}
    owed = cache.open_receivables(order.customer_id, order.currency)
    # The order's own earlier decision is replaced by this one, not added to it.
    exposure = owed + cache.open_orders(order.customer_id, order.currency, but=order.order_id)
    limit = segment.credit_limit
    if (
        terms["type"] == "net"
        and limit is not None
        and limit["currency"] == order.currency
        and exposure + order.amount > limit["amount"]
    ):
        terms = PAY_ON_ORDER
        reasons.add("credit_limit_exceeded")
    return _document(
        order,
        decision_id,
        decided_at,
        answer,
        terms=terms,
        reasons=[reason for reason in REASONS if reason in reasons],
        policy_version=snapshot.policy_version,
        open_receivables=owed,
        exposure=exposure,
        stale=cache.is_stale(),
    )


def _document(
    order: DecisionIn,
    decision_id: str,
    decided_at: str,
    answer: Answer,
    *,
    terms: dict[str, Any],
    reasons: list[str],
    policy_version: int | None,
    open_receivables: int,
    exposure: int,
    stale: bool,
) -> dict[str, Any]:
    segment = answer.segment
    requested = order.requested_terms
    return {
        "decision_id": decision_id,
        "customer_id": order.customer_id,
        "order_id": order.order_id,
        "outcome": "pay_on_order" if terms["type"] == "pay_on_order" else "net_terms",
        "terms": terms,
        "reasons": reasons,
        "segment": segment.key,
        "source": answer.source,
        "policy_version": policy_version,
        "amount": order.amount,
        "currency": order.currency,
        "requested_terms": None if requested is None else requested.model_dump(),
        "credit_limit": segment.credit_limit,
        "open_receivables": open_receivables,
        "exposure": {"amount": exposure, "currency": order.currency},
        "stale": stale,
        "decided_at": decided_at,
    }


def hold_of(document: dict[str, Any], decided_at: datetime, hold_days: int) -> Hold | None:
    """The credit a decision holds until its order is invoiced or released: net terms only."""
    if document["outcome"] != "net_terms":
        return None
    return Hold(
        customer_id=document["customer_id"],
        order_id=document["order_id"],
        decision_id=document["decision_id"],
        currency=document["currency"],
        amount=document["amount"],
        expires_at=decided_at + timedelta(days=hold_days),
    )
