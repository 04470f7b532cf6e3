"""Every table, one module each."""

from app.models.api_key import ApiKey
from app.models.audit_event import AuditEvent
from app.models.base import Base
from app.models.checkout_decision import CheckoutDecision
from app.models.customer import Customer
from app.models.history_import import HistoryImport
from app.models.invoice import Invoice
from app.models.outbox_event import OutboxEvent
from app.models.payment import Payment
from app.models.segment import Segment
from app.models.segment_assignment import SegmentAssignment
from app.models.segmentation_policy import SegmentationPolicy
from app.models.segmentation_run import SegmentationMove, SegmentationRun
from app.models.store_version import StoreVersion
from app.models.term_exception import TermException
from app.models.workflow import Workflow

__all__ = [
    "ApiKey",
    "AuditEvent",
    "Base",
    "CheckoutDecision",
    "Customer",
    "HistoryImport",
    "Invoice",
    "OutboxEvent",
    "Payment",
    "Segment",
    "SegmentAssignment",
    "SegmentationMove",
    "SegmentationPolicy",
    "SegmentationRun",
    "StoreVersion",
    "TermException",
    "Workflow",
]
