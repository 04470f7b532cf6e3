"""Contains all the data models used in inputs/outputs"""

from .accuracy_out import AccuracyOut
from .ageing_buckets import AgeingBuckets
from .ageing_out import AgeingOut
from .audit_event_out import AuditEventOut
from .audit_event_out_after_type_0 import AuditEventOutAfterType0
from .audit_event_out_before_type_0 import AuditEventOutBeforeType0
from .batch_in import BatchIn
from .batch_out import BatchOut
from .batch_result import BatchResult
from .batch_result_error_type_0 import BatchResultErrorType0
from .cash_amount import CashAmount
from .cash_forecast_out import CashForecastOut
from .cash_week_out import CashWeekOut
from .caught_out import CaughtOut
from .cei_out import CeiOut
from .collections_out import CollectionsOut
from .collections_out_interval import CollectionsOutInterval
from .contact_kpis import ContactKpis
from .contact_kpis_out import ContactKpisOut
from .contact_kpis_out_segments import ContactKpisOutSegments
from .contact_kpis_touches_by_kind import ContactKpisTouchesByKind
from .contact_kpis_touches_by_outcome import ContactKpisTouchesByOutcome
from .contact_step import ContactStep
from .contact_step_channel import ContactStepChannel
from .contact_step_kind import ContactStepKind
from .contact_step_relative_to import ContactStepRelativeTo
from .credit_note_out import CreditNoteOut
from .customer_metrics import CustomerMetrics
from .dated_step import DatedStep
from .decision_in import DecisionIn
from .decision_note_in import DecisionNoteIn
from .decision_out import DecisionOut
from .decision_out_outcome import DecisionOutOutcome
from .decision_out_reasons_item import DecisionOutReasonsItem
from .decision_out_source import DecisionOutSource
from .delivery_out import DeliveryOut
from .delivery_out_status import DeliveryOutStatus
from .dispute_in import DisputeIn
from .dispute_in_reason import DisputeInReason
from .dispute_out import DisputeOut
from .dispute_out_status import DisputeOutStatus
from .disputes_kpi import DisputesKpi
from .dso_figures import DsoFigures
from .dso_out import DsoOut
from .dso_out_method import DsoOutMethod
from .field_error import FieldError
from .get_collections_by_owner_interval import GetCollectionsByOwnerInterval
from .get_dso_method import GetDsoMethod
from .get_dso_trend_interval import GetDsoTrendInterval
from .history_item import HistoryItem
from .invoice_forecast_out import InvoiceForecastOut
from .invoice_in import InvoiceIn
from .invoice_out import InvoiceOut
from .invoice_out_status import InvoiceOutStatus
from .list_customer_invoices_status_type_0 import ListCustomerInvoicesStatusType0
from .list_deliveries_status_type_0 import ListDeliveriesStatusType0
from .list_tasks_status_type_0 import ListTasksStatusType0
from .list_term_exceptions_status_type_0 import ListTermExceptionsStatusType0
from .live_response_live import LiveResponseLive
from .lookup_terms_response_200 import LookupTermsResponse200
from .lookup_terms_response_200_source import LookupTermsResponse200Source
from .matrix_in import MatrixIn
from .matrix_row_in import MatrixRowIn
from .money import Money
from .money_out import MoneyOut
from .money_sum import MoneySum
from .move_out import MoveOut
from .move_out_metrics import MoveOutMetrics
from .override_in import OverrideIn
from .override_out import OverrideOut
from .owner_period import OwnerPeriod
from .page_audit_event_out import PageAuditEventOut
from .page_decision_out import PageDecisionOut
from .page_delivery_out import PageDeliveryOut
from .page_dispute_out import PageDisputeOut
from .page_invoice_forecast_out import PageInvoiceForecastOut
from .page_invoice_out import PageInvoiceOut
from .page_move_out import PageMoveOut
from .page_override_out import PageOverrideOut
from .page_policy_out import PagePolicyOut
from .page_promise_out import PagePromiseOut
from .page_run_out import PageRunOut
from .page_segment_out import PageSegmentOut
from .page_task_out import PageTaskOut
from .page_term_exception_out import PageTermExceptionOut
from .page_workflow_out import PageWorkflowOut
from .payer_class_bounds import PayerClassBounds
from .payer_class_bounds_in import PayerClassBoundsIn
from .payer_classes_in import PayerClassesIn
from .payment_in import PaymentIn
from .payment_line import PaymentLine
from .payment_out import PaymentOut
from .payment_out_invoice_status import PaymentOutInvoiceStatus
from .policy_in import PolicyIn
from .policy_out import PolicyOut
from .policy_out_matrix import PolicyOutMatrix
from .policy_out_matrix_additional_property import PolicyOutMatrixAdditionalProperty
from .policy_out_payer_classes import PolicyOutPayerClasses
from .policy_out_value_tiers import PolicyOutValueTiers
from .problem import Problem
from .profile_out import ProfileOut
from .promise_in import PromiseIn
from .promise_out import PromiseOut
from .promise_out_status import PromiseOutStatus
from .promises_kpi import PromisesKpi
from .promises_record import PromisesRecord
from .recorded_forecast_out import RecordedForecastOut
from .recorded_week_out import RecordedWeekOut
from .release_out import ReleaseOut
from .resolve_in import ResolveIn
from .resolve_in_resolution import ResolveInResolution
from .route_out import RouteOut
from .route_status_out import RouteStatusOut
from .route_status_out_status import RouteStatusOutStatus
from .run_in import RunIn
from .run_out import RunOut
from .run_out_counts_after import RunOutCountsAfter
from .run_out_counts_before import RunOutCountsBefore
from .segment_ageing import SegmentAgeing
from .segment_in import SegmentIn
from .segment_out import SegmentOut
from .stripe_hint import StripeHint
from .stripe_hint_collection_method import StripeHintCollectionMethod
from .sum_ import Sum
from .tally import Tally
from .task_out import TaskOut
from .task_out_status import TaskOutStatus
from .tasks_kpi import TasksKpi
from .term_exception_in import TermExceptionIn
from .term_exception_out import TermExceptionOut
from .term_exception_out_status import TermExceptionOutStatus
from .terms import Terms
from .terms_type import TermsType
from .touch_batch_in import TouchBatchIn
from .touch_batch_out import TouchBatchOut
from .touch_batch_result import TouchBatchResult
from .touch_batch_result_error_type_0 import TouchBatchResultErrorType0
from .touch_in import TouchIn
from .touch_in_channel import TouchInChannel
from .touch_in_kind import TouchInKind
from .touch_in_outcome import TouchInOutcome
from .touch_out import TouchOut
from .trend_out import TrendOut
from .trend_out_interval import TrendOutInterval
from .trend_period_out import TrendPeriodOut
from .trend_period_out_segments import TrendPeriodOutSegments
from .value_tier_bounds import ValueTierBounds
from .value_tier_in import ValueTierIn
from .value_tiers_in import ValueTiersIn
from .workflow_in import WorkflowIn
from .workflow_out import WorkflowOut
from .worklist_item import WorklistItem
from .worklist_out import WorklistOut

__all__ = (
    "AccuracyOut",
    "AgeingBuckets",
    "AgeingOut",
    "AuditEventOut",
    "AuditEventOutAfterType0",
    "AuditEventOutBeforeType0",
    "BatchIn",
    "BatchOut",
    "BatchResult",
    "BatchResultErrorType0",
    "CashAmount",
    "CashForecastOut",
    "CashWeekOut",
    "CaughtOut",
    "CeiOut",
    "CollectionsOut",
    "CollectionsOutInterval",
    "ContactKpis",
    "ContactKpisOut",
    "ContactKpisOutSegments",
    "ContactKpisTouchesByKind",
    "ContactKpisTouchesByOutcome",
    "ContactStep",
    "ContactStepChannel",
    "ContactStepKind",
    "ContactStepRelativeTo",
    "CreditNoteOut",
    "CustomerMetrics",
    "DatedStep",
    "DecisionIn",
    "DecisionNoteIn",
    "DecisionOut",
    "DecisionOutOutcome",
    "DecisionOutReasonsItem",
    "DecisionOutSource",
    "DeliveryOut",
    "DeliveryOutStatus",
    "DisputeIn",
    "DisputeInReason",
    "DisputeOut",
    "DisputeOutStatus",
    "DisputesKpi",
    "DsoFigures",
    "DsoOut",
    "DsoOutMethod",
    "FieldError",
    "GetCollectionsByOwnerInterval",
    "GetDsoMethod",
    "GetDsoTrendInterval",
    "HistoryItem",
    "InvoiceForecastOut",
    "InvoiceIn",
    "InvoiceOut",
    "InvoiceOutStatus",
    "ListCustomerInvoicesStatusType0",
    "ListDeliveriesStatusType0",
    "ListTasksStatusType0",
    "ListTermExceptionsStatusType0",
    "LiveResponseLive",
    "LookupTermsResponse200",
    "LookupTermsResponse200Source",
    "MatrixIn",
    "MatrixRowIn",
    "Money",
    "MoneyOut",
    "MoneySum",
    "MoveOut",
    "MoveOutMetrics",
    "OverrideIn",
    "OverrideOut",
    "OwnerPeriod",
    "PageAuditEventOut",
    "PageDecisionOut",
    "PageDeliveryOut",
    "PageDisputeOut",
    "PageInvoiceForecastOut",
    "PageInvoiceOut",
    "PageMoveOut",
    "PageOverrideOut",
    "PagePolicyOut",
    "PagePromiseOut",
    "PageRunOut",
    "PageSegmentOut",
    "PageTaskOut",
    "PageTermExceptionOut",
    "PageWorkflowOut",
    "PayerClassBounds",
    "PayerClassBoundsIn",
    "PayerClassesIn",
    "PaymentIn",
    "PaymentLine",
    "PaymentOut",
    "PaymentOutInvoiceStatus",
    "PolicyIn",
    "PolicyOut",
    "PolicyOutMatrix",
    "PolicyOutMatrixAdditionalProperty",
    "PolicyOutPayerClasses",
    "PolicyOutValueTiers",
    "Problem",
    "ProfileOut",
    "PromiseIn",
    "PromiseOut",
    "PromiseOutStatus",
    "PromisesKpi",
    "PromisesRecord",
    "RecordedForecastOut",
    "RecordedWeekOut",
    "ReleaseOut",
    "ResolveIn",
    "ResolveInResolution",
    "RouteOut",
    "RouteStatusOut",
    "RouteStatusOutStatus",
    "RunIn",
    "RunOut",
    "RunOutCountsAfter",
    "RunOutCountsBefore",
    "SegmentAgeing",
    "SegmentIn",
    "SegmentOut",
    "StripeHint",
    "StripeHintCollectionMethod",
    "Sum",
    "Tally",
    "TaskOut",
    "TaskOutStatus",
    "TasksKpi",
    "TermExceptionIn",
    "TermExceptionOut",
    "TermExceptionOutStatus",
    "Terms",
    "TermsType",
    "TouchBatchIn",
    "TouchBatchOut",
    "TouchBatchResult",
    "TouchBatchResultErrorType0",
    "TouchIn",
    "TouchInChannel",
    "TouchInKind",
    "TouchInOutcome",
    "TouchOut",
    "TrendOut",
    "TrendOutInterval",
    "TrendPeriodOut",
    "TrendPeriodOutSegments",
    "ValueTierBounds",
    "ValueTierIn",
    "ValueTiersIn",
    "WorkflowIn",
    "WorkflowOut",
    "WorklistItem",
    "WorklistOut",
)
