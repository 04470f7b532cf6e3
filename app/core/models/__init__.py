"""Every table, one module each."""

from app.core.models.api_key import ApiKey
from app.core.models.audit_event import AuditEvent
from app.core.models.base import Base
from app.core.models.cash_forecast import CashForecastWeek
from app.core.models.checkout_decision import CheckoutDecision
from app.core.models.console_session import ConsoleSession
from app.core.models.contact import ContactTask, Dispute, Promise, Touch
from app.core.models.customer import Customer
from app.core.models.history_import import HistoryImport
from app.core.models.idempotent_request import IdempotentRequest
from app.core.models.invoice import Invoice
from app.core.models.ledger import LedgerChange, OpenOrder
from app.core.models.outbox_event import OutboxEvent
from app.core.models.payment import Payment
from app.core.models.segment import Segment
from app.core.models.segment_assignment import SegmentAssignment
from app.core.models.segmentation_policy import SegmentationPolicy
from app.core.models.segmentation_run import SegmentationMove, SegmentationRun
from app.core.models.store_version import StoreVersion
from app.core.models.term_exception import TermException
from app.core.models.workflow import Workflow

__all__ = [
    "ApiKey",
    "AuditEvent",
    "Base",
    "CashForecastWeek",
    "CheckoutDecision",
    "ConsoleSession",
    "ContactTask",
    "Customer",
    "Dispute",
    "HistoryImport",
    "IdempotentRequest",
    "Invoice",
    "LedgerChange",
    "OpenOrder",
    "OutboxEvent",
    "Payment",
    "Promise",
    "Segment",
    "SegmentAssignment",
    "SegmentationMove",
    "SegmentationPolicy",
    "SegmentationRun",
    "StoreVersion",
    "TermException",
    "Touch",
    "Workflow",
]
