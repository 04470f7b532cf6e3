"""The demo's contact loop: what collectors did over the year, step by step of each customer's
contact plan, and what came of it.

A customer's plan is that of the segment the demo means it for (its payer kind and value under
the default policy: app/demo/history.py's `intended_segment`), as the store holds that segment
now. Each step of each invoice becomes a task; most past steps were worked (a touch, the task
done) unless the invoice was paid first (cancelled) or a promise or dispute held it. What a
touch finds follows the invoice's history: a service check before the due date mostly finds
no issue, sometimes an invoice not received; a reminder after it a promise to pay (kept when
the payment came in time, else broken, adding an escalation), a payment on its way, no answer;
invoices paid 60 days late or more were disputed, and the dispute was resolved when they were
paid, some with a credit note. Steps of the last days are left open, so today's worklist has
work on it.

Demo tasks and touches carry no segment (the invoices are history, with none, like every
figure the KPIs join to the invoice). No promise is made or closed in the last QUIET_DAYS, so
the week's contact KPIs show only what you do yourself; `demo-00002`, the customer the docs'
tours contact, gets no loop at all.
"""

from __future__ import annotations

import hashlib
import heapq
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Final

TASK_COLUMNS: Final = (
    "invoice_id", "customer_id", "segment", "scheduled_on", "channel", "kind", "status",
    "origin", "done_at",
)  # fmt: skip
TOUCH_COLUMNS: Final = (
    "touch_id", "invoice_id", "customer_id", "segment", "task_id", "channel", "kind",
    "occurred_at", "outcome", "note", "before_due", "outstanding", "currency", "recorded_at",
    "recorded_by", "request_sha256", "answer",
)  # fmt: skip
PROMISE_COLUMNS: Final = (
    "id", "invoice_id", "customer_id", "touch_id", "amount", "currency", "pay_on", "keep_by",
    "status", "made_at", "closed_at",
)  # fmt: skip
DISPUTE_COLUMNS: Final = (
    "id", "invoice_id", "customer_id", "touch_id", "reason", "amount", "currency", "status",
    "opened_at", "origin", "resolved_at", "resolved_by", "resolution", "credit_amount", "note",
)  # fmt: skip
QUIET_CUSTOMERS: Final = frozenset({2})  # the docs' tours contact demo-00002 themselves
QUIET_DAYS: Final = 8
RECENT_DAYS: Final = 3  # steps this recent are mostly still to do
WORKED: Final = 0.9  # share of older steps a collector carried out
WORKED_RECENT: Final = 0.3
GRACE_DAYS: Final = 2  # TERMSGATE_PROMISE_GRACE_DAYS' default
PROMISED_DAYS: Final = 21  # a payment this soon after the call was mostly promised for its day
KEPT: Final = 0.8
DISPUTED_DAYS_LATE: Final = 60
CREDIT_NOTE_CHANCE: Final = 0.35
HELD_KINDS: Final = ("reminder", "escalation")
REASONS: Final = ("wrong_delivery", "not_received", "price", "quantity", "quality", "other")
RESOLVER: Final = "demo"


@dataclass(slots=True)
class Loop:
    """Rows of one write; `credits` are credit notes by invoice id (they lower its payment)."""

    tasks: list[tuple[Any, ...]] = field(default_factory=list)
    touches: list[tuple[Any, ...]] = field(default_factory=list)
    promises: list[tuple[Any, ...]] = field(default_factory=list)
    disputes: list[tuple[Any, ...]] = field(default_factory=list)
    credits: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Invoice:
    """What the loop needs of a demo invoice: paid (`paid`, on `paid_on`) or not yet."""

    invoice_id: str
    customer_id: str
    amount: int
    currency: str
    issued_on: date
    due_on: date
    paid: int
    paid_on: date | None

    @property
    def settled_on(self) -> date | None:
        return self.paid_on if self.paid >= self.amount else None

    def outstanding(self, on: date) -> int:
        return self.amount - (self.paid if self.paid_on is not None and self.paid_on <= on else 0)


@dataclass(slots=True)
class _State:
    """An invoice's dispute and promises as the steps go by."""

    disputed: tuple[date, date | None] | None = None  # opened on, resolved on
    promises: list[tuple[date, date, date | None]] = field(default_factory=list)  # made, keep_by,
    # closed on (None: still open)

    def holds(self, on: date, kind: str) -> bool:
        if kind not in HELD_KINDS:
            return False
        if self.disputed is not None:
            opened, resolved = self.disputed
            if opened <= on and (resolved is None or on < resolved):
                return True
        return any(
            made <= on <= keep_by and (closed is None or on < closed)
            for made, keep_by, closed in self.promises
        )


def customer_loop(
    seed: int,
    number: int,
    invoices: Iterable[Invoice],
    plan: Sequence[Mapping[str, Any]],
    today: date,
    recorded_at: datetime,
    actor: str,
    loop: Loop,
) -> None:
    """Add demo customer `number`'s tasks, touches, promises and disputes to `loop`; the same
    for the same seed, from a random stream of its own (the history's stays as it was)."""
    if not plan or number in QUIET_CUSTOMERS:
        return
    rng = random.Random(f"termsgate-demo-contacts:{seed}:{number}")
    for invoice in invoices:
        _invoice_loop(rng, invoice, plan, today, recorded_at, actor, loop)


def _invoice_loop(
    rng: random.Random,
    invoice: Invoice,
    plan: Sequence[Mapping[str, Any]],
    today: date,
    recorded_at: datetime,
    actor: str,
    loop: Loop,
) -> None:
    state = _State()
    steps = [(_dated(step, invoice), step["channel"], step["kind"], "plan") for step in plan]
    heapq.heapify(steps)
    touched = 0
    settled_on = invoice.settled_on
    while steps:
        on, channel, kind, origin = heapq.heappop(steps)
        worked = WORKED_RECENT if (today - on).days < RECENT_DAYS else WORKED
        if (
            on >= today
            or (settled_on is not None and settled_on <= on)
            or state.holds(on, kind)
            or rng.random() >= worked
        ):
            status = _left(invoice, state, on, kind, today)
            loop.tasks.append(_task(invoice, on, channel, kind, status, origin, None))
            continue
        touched += 1
        at = datetime.combine(on, time(9 + rng.randrange(8), rng.randrange(60)), UTC)
        touch_id = f"demo-tch:{invoice.invoice_id}:{touched}"
        outcome = _outcome(rng, invoice, state, on, kind, today)
        loop.tasks.append(_task(invoice, on, channel, kind, "done", origin, at))
        loop.touches.append(_touch(invoice, touch_id, channel, kind, at, outcome, recorded_at,
                                   actor))  # fmt: skip
        if outcome == "promise_to_pay":
            escalation = _promise(rng, invoice, state, touch_id, at, today, loop)
            if escalation is not None:
                heapq.heappush(steps, (escalation, "phone", "escalation", "promise_broken"))
        elif outcome == "dispute":
            _dispute(rng, invoice, state, touch_id, at, today, loop)


def _dated(step: Mapping[str, Any], invoice: Invoice) -> date:
    start = invoice.due_on if step["relative_to"] == "due" else invoice.issued_on
    return start + timedelta(days=int(step["offset_days"]))


def _left(invoice: Invoice, state: _State, on: date, kind: str, today: date) -> str:
    """A step not carried out, as it stands today: cancelled once paid, held while a dispute or
    a promise holds it, else open (a past one overdue)."""
    if invoice.settled_on is not None and invoice.settled_on <= today:
        return "cancelled"
    if kind in HELD_KINDS and state.disputed is not None and state.disputed[1] is None:
        return "held"
    if any(closed is None and on <= keep_by for _, keep_by, closed in state.promises):
        return "held" if kind in HELD_KINDS else "open"
    return "open"


def _outcome(
    rng: random.Random, invoice: Invoice, state: _State, on: date, kind: str, today: date
) -> str:
    """What the touch found: mostly no issue; an invoice paid very late was disputed."""
    paid_on = invoice.settled_on
    late = (paid_on or today) - invoice.due_on
    can_dispute = state.disputed is None and invoice.outstanding(on) > 0
    draw = rng.random()
    if can_dispute and late.days >= DISPUTED_DAYS_LATE and draw < 0.6:
        return "dispute"
    if kind == "service_check":
        if draw < 0.08:
            return "invoice_not_received"
        if draw < 0.16:
            return "no_answer"
        if draw < 0.18:
            return "wrong_contact"
        return "dispute" if draw < 0.20 and can_dispute else "no_issue"
    if paid_on is not None and (paid_on - on).days <= 7 and draw < 0.5:
        return "payment_sent"
    if draw < 0.30 and (today - on).days >= QUIET_DAYS:
        return "promise_to_pay"
    if draw < 0.45:
        return "no_answer"
    if draw < 0.48:
        return "wrong_contact"
    if draw < 0.51:
        return "invoice_not_received"
    return "no_issue"


def _promise(
    rng: random.Random,
    invoice: Invoice,
    state: _State,
    touch_id: str,
    at: datetime,
    today: date,
    loop: Loop,
) -> date | None:
    """A promise for what is outstanding: kept by a payment in full by its last day, else
    broken (or open while its last day is to come); the escalation a broken one adds."""
    on = at.date()
    paid_on = invoice.settled_on
    pay_on = on + timedelta(days=3 + rng.randrange(12))
    if paid_on is not None and (paid_on - on).days <= PROMISED_DAYS and rng.random() < KEPT:
        pay_on = max(on + timedelta(days=1), paid_on - timedelta(days=rng.randrange(3)))
    keep_by = pay_on + timedelta(days=GRACE_DAYS)
    quiet = today - timedelta(days=QUIET_DAYS)
    closed_at: datetime | None = None
    escalation = None
    if paid_on is not None and on <= paid_on <= keep_by:
        status, closed_at = "kept", max(at, datetime.combine(paid_on, time(12), UTC))
    elif keep_by < today:
        status = "broken"
        closed_at = datetime.combine(keep_by + timedelta(days=1), time(0, 5), UTC)
        escalation = keep_by + timedelta(days=1)
    else:
        status = "open"
    if closed_at is not None and closed_at.date() >= quiet:
        # It would be kept or broken in the quiet days: this call found no answer instead.
        loop.touches[-1] = _as_no_answer(loop.touches[-1])
        return None
    row_id = f"prm_{rng.getrandbits(96):024x}"
    loop.promises.append((row_id, invoice.invoice_id, invoice.customer_id, touch_id,
                          invoice.outstanding(on), invoice.currency, pay_on, keep_by, status, at,
                          closed_at))  # fmt: skip
    state.promises.append((on, keep_by, None if closed_at is None else closed_at.date()))
    return escalation


def _dispute(
    rng: random.Random,
    invoice: Invoice,
    state: _State,
    touch_id: str,
    at: datetime,
    today: date,
    loop: Loop,
) -> None:
    """A dispute for what is outstanding, resolved before the invoice was paid in full (some
    with a credit note, which the payment then lacks); unpaid, resolved or still open."""
    on = at.date()
    amount = invoice.outstanding(on)
    paid_on = invoice.settled_on
    resolved_on: date | None = None
    resolution = credit = None
    if paid_on is not None and paid_on > on:
        resolved_on = max(on + timedelta(days=1), paid_on - timedelta(days=rng.randrange(4)))
        resolution = "invoice_stands"
        if rng.random() < CREDIT_NOTE_CHANCE:
            resolution = "credit_note"
            credit = max(1, int(amount * (0.05 + 0.25 * rng.random())))
            loop.credits[invoice.invoice_id] = credit
    elif paid_on is None and (today - on).days > 20 and rng.random() < 0.4:
        resolved_on, resolution = on + timedelta(days=5 + rng.randrange(15)), "invoice_stands"
    resolved_at = None
    if resolved_on is not None:
        resolved_at = max(at + timedelta(hours=1), datetime.combine(resolved_on, time(15), UTC))
    loop.disputes.append((f"dsp_{rng.getrandbits(96):024x}", invoice.invoice_id,
                          invoice.customer_id, touch_id, rng.choice(REASONS), amount,
                          invoice.currency, "open" if resolved_at is None else "resolved", at,
                          "touch", resolved_at, None if resolved_at is None else RESOLVER,
                          resolution, credit, None))  # fmt: skip
    state.disputed = (on, resolved_on)


def _task(
    invoice: Invoice,
    on: date,
    channel: str,
    kind: str,
    status: str,
    origin: str,
    done_at: datetime | None,
) -> tuple[Any, ...]:
    return (invoice.invoice_id, invoice.customer_id, None, on, channel, kind, status, origin,
            done_at)  # fmt: skip


def _touch(
    invoice: Invoice,
    touch_id: str,
    channel: str,
    kind: str,
    at: datetime,
    outcome: str,
    recorded_at: datetime,
    actor: str,
) -> tuple[Any, ...]:
    answer = {
        "touch_id": touch_id,
        "invoice_id": invoice.invoice_id,
        "customer_id": invoice.customer_id,
        "task_id": None,
        "channel": channel,
        "kind": kind,
        "occurred_at": at.isoformat().replace("+00:00", "Z"),
        "outcome": outcome,
        "note": None,
    }
    fingerprint = hashlib.sha256(touch_id.encode()).hexdigest()
    return (touch_id, invoice.invoice_id, invoice.customer_id, None, None, channel, kind, at,
            outcome, None, at.date() < invoice.due_on, invoice.outstanding(at.date()),
            invoice.currency, recorded_at, actor, fingerprint, answer)  # fmt: skip


def _as_no_answer(touch: tuple[Any, ...]) -> tuple[Any, ...]:
    outcome = TOUCH_COLUMNS.index("outcome")
    answer = {**touch[-1], "outcome": "no_answer"}
    return (*touch[:outcome], "no_answer", *touch[outcome + 1 : -1], answer)
