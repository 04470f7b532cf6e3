"""The demo's contact loop: tasks on each intended segment's plan, touches with believable
outcomes, promises kept and broken, disputes resolved, and work open today."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import timedelta

from sqlalchemy import select

from app.contacts import service as contacts
from app.core.clock import Clock
from app.core.models import ContactTask, Dispute, Invoice, Payment, Promise, Touch
from app.core.store import Store
from app.demo import generate
from app.demo.contacts import QUIET_DAYS
from tests.support.demo import wipe

SEED = 7
CUSTOMERS = 200


def test_the_loop_follows_the_plans_and_leaves_work_for_today(store: Store, clock: Clock) -> None:
    summary = generate(store, customers=CUSTOMERS, seed=SEED, clock=clock)
    today = clock.today()
    with store.reading() as session:
        invoices = {row.invoice_id: row for row in session.scalars(select(Invoice))}
        tasks = list(session.scalars(select(ContactTask)))
        touches = list(session.scalars(select(Touch)))
        worklist = contacts.day_list(session, today, cursor=None, limit=1000)
        assert (summary.tasks, summary.touches) == (len(tasks), len(touches))
        assert summary.open_tasks == sum(task.status == "open" for task in tasks)
        for task in tasks:
            due_on = invoices[task.invoice_id].due_on
            assert task.segment is None
            if task.kind == "service_check":  # net_15's plan: five days before due, by phone
                assert (task.scheduled_on, task.channel, task.origin) == (
                    due_on - timedelta(days=5),
                    "phone",
                    "plan",
                )
            elif task.kind == "reminder":  # net_15's and net_30's: three days after, by email
                assert (task.scheduled_on, task.channel, task.origin) == (
                    due_on + timedelta(days=3),
                    "email",
                    "plan",
                )
            else:
                assert (task.kind, task.origin) == ("escalation", "promise_broken")
            assert (task.status == "done") == (task.done_at is not None)
            assert task.scheduled_on <= today or task.status in ("open", "held", "cancelled")
        assert "demo-00002" not in {task.customer_id for task in tasks}
        statuses = Counter(task.status for task in tasks)
        # Held ones come and go with the season's open disputes and promises.
        assert (
            {"open", "done", "cancelled"} <= set(statuses) <= {"open", "done", "held", "cancelled"}
        )
        # Touches happened on their task's day, before due for service checks, after for reminders.
        done = Counter((t.invoice_id, t.scheduled_on, t.kind) for t in tasks if t.status == "done")
        assert done == Counter((t.invoice_id, t.occurred_at.date(), t.kind) for t in touches)
        assert all(t.before_due == (t.kind == "service_check") for t in touches)
        outcomes = Counter(touch.outcome for touch in touches)
        assert outcomes.most_common(1)[0][0] == "no_issue"
        assert {
            "invoice_not_received",
            "promise_to_pay",
            "dispute",
            "payment_sent",
            "no_answer",
        } <= set(outcomes)
        assert any(t.outcome == "invoice_not_received" and t.before_due for t in touches)
        # Today's worklist has work on it.
        assert len(worklist.items) >= 5  # 8 to 21 over the days of a year
        assert all(item.tasks for item in worklist.items)


def test_promises_and_disputes_follow_the_payments(store: Store, clock: Clock) -> None:
    summary = generate(store, customers=CUSTOMERS, seed=SEED, clock=clock)
    today = clock.today()
    quiet = today - timedelta(days=QUIET_DAYS)
    with store.reading() as session:
        invoices = {row.invoice_id: row for row in session.scalars(select(Invoice))}
        paid: dict[str, list[Payment]] = defaultdict(list)
        for payment in session.scalars(select(Payment)):
            paid[payment.invoice_id].append(payment)
        promises = list(session.scalars(select(Promise)))
        disputes = list(session.scalars(select(Dispute)))
        touches = {t.touch_id: t for t in session.scalars(select(Touch))}
        held = list(session.scalars(select(ContactTask).where(ContactTask.status == "held")))
        kpis, _ = contacts.contact_kpis(session, today - timedelta(days=365), today, None)
        assert (summary.promises, summary.disputes) == (len(promises), len(disputes))
        statuses = Counter(promise.status for promise in promises)
        assert statuses["kept"] > 0
        assert statuses["broken"] > 0
        for promise in promises:
            invoice = invoices[promise.invoice_id]
            assert touches[promise.touch_id].outcome == "promise_to_pay"
            assert promise.made_at.date() < quiet  # the last week is left to the reader
            assert promise.closed_at is None or promise.closed_at.date() < quiet
            assert promise.keep_by == promise.pay_on + timedelta(days=2)
            if promise.status == "kept":
                assert invoice.paid_amount == invoice.amount
                assert max(p.paid_on for p in paid[invoice.invoice_id]) <= promise.keep_by
            elif promise.status == "open":
                assert promise.keep_by >= today
        resolutions = Counter((d.status, d.resolution) for d in disputes)
        assert resolutions[("resolved", "credit_note")] > 0
        assert resolutions[("resolved", "invoice_stands")] > 0
        for dispute in disputes:
            invoice = invoices[dispute.invoice_id]
            assert dispute.touch_id is not None
            assert touches[dispute.touch_id].outcome == "dispute"
            assert dispute.origin == "touch"
            assert 0 < dispute.amount <= invoice.amount
            if dispute.resolved_at is not None:
                assert dispute.resolved_at > dispute.opened_at
            if dispute.resolution == "credit_note":
                assert dispute.credit_amount == invoice.credited_amount
                assert dispute.credit_amount is not None
                assert 0 < dispute.credit_amount <= dispute.amount
        # A credit note is not cash: the payments are what the invoice's paid amount lacks.
        for invoice in invoices.values():
            cash = sum(payment.amount for payment in paid[invoice.invoice_id])
            assert cash == invoice.paid_amount - invoice.credited_amount
        open_disputes = {d.invoice_id for d in disputes if d.status == "open"}
        open_promises = {p.invoice_id for p in promises if p.status == "open"}
        assert all(task.invoice_id in open_disputes | open_promises for task in held)
        assert all(task.kind in ("reminder", "escalation") for task in held)
        # The year's contact KPIs have something to say.
        assert kpis.promises.kept_rate is not None
        assert 0 < kpis.promises.kept_rate < 1
        assert kpis.disputes.resolved > 0
        assert kpis.issues_caught_before_due.count > 0
        assert kpis.tasks.done_on_date > 0


def test_the_same_seed_writes_the_same_loop(store: Store, clock: Clock) -> None:
    def loop() -> tuple[list[tuple[object, ...]], ...]:
        with store.reading() as session:
            return (
                sorted((t.invoice_id, t.scheduled_on, t.kind, t.status, t.done_at)
                       for t in session.scalars(select(ContactTask))),
                sorted((t.touch_id, t.occurred_at, t.outcome)
                       for t in session.scalars(select(Touch))),
                sorted((p.id, p.amount, p.pay_on, p.status)
                       for p in session.scalars(select(Promise))),
                sorted((d.id, d.reason, d.status, d.resolution, d.credit_amount)
                       for d in session.scalars(select(Dispute))),
            )  # fmt: skip

    generate(store, customers=60, seed=SEED, clock=clock)
    first = loop()
    wipe(store)
    generate(store, customers=60, seed=SEED, clock=clock)
    assert loop() == first
    assert all(first)
