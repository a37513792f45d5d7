"""SQLAlchemy 2 models of the store. Everything belongs to a workspace."""

from intacct_bridge.store.models.access import ApiToken, ConsoleSession, ConsoleUser
from intacct_bridge.store.models.audit import AuditEntry
from intacct_bridge.store.models.base import Base, utcnow
from intacct_bridge.store.models.cancellations import DocumentCancellation
from intacct_bridge.store.models.notifications import Notification, NotificationSettingsRow
from intacct_bridge.store.models.payables import ApAdjustment, ApAdjustmentLine, Bill, BillLine
from intacct_bridge.store.models.receivables import (
    CreditMemo,
    CreditMemoLine,
    Customer,
    IntacctArInvoice,
    Invoice,
    InvoiceLine,
    OutboxColumns,
    Payment,
    PaymentApplication,
    PullMark,
    ReceivablesSettingsRow,
    StockLevel,
)
from intacct_bridge.store.models.dimension_values import DimensionValue
from intacct_bridge.store.models.export_rules import CampaignRuleRow, SkipRuleRow
from intacct_bridge.store.models.master_data import Item, Vendor
from intacct_bridge.store.models.records import (
    Action,
    ActionCampaign,
    Campaign,
    CampaignCategory,
    Constituent,
    IntacctValue,
    ReviewFlag,
)
from intacct_bridge.store.models.reconciliations import ReconcileRun
from intacct_bridge.store.models.reversals import JournalReversal
from intacct_bridge.store.models.summaries import JournalSummary
from intacct_bridge.store.models.runs import Posting, RunItem, SyncRun
from intacct_bridge.store.models.workspace import (
    Connection,
    MappingDefault,
    ScheduleSlot,
    UserDimension,
    Workspace,
    WorkspaceLock,
    WorkspaceSettings,
)

__all__ = [
    "DocumentCancellation",
    "DimensionValue",
    "CampaignRuleRow",
    "SkipRuleRow",
    "JournalReversal",
    "ReconcileRun",
    "JournalSummary",
    "Action",
    "ApAdjustment",
    "ApAdjustmentLine",
    "ActionCampaign",
    "ApiToken",
    "AuditEntry",
    "Base",
    "Bill",
    "BillLine",
    "Campaign",
    "CampaignCategory",
    "Connection",
    "ConsoleSession",
    "ConsoleUser",
    "Constituent",
    "CreditMemo",
    "CreditMemoLine",
    "Customer",
    "IntacctArInvoice",
    "IntacctValue",
    "Item",
    "Invoice",
    "InvoiceLine",
    "MappingDefault",
    "Notification",
    "NotificationSettingsRow",
    "OutboxColumns",
    "Payment",
    "PaymentApplication",
    "Posting",
    "PullMark",
    "ScheduleSlot",
    "ReceivablesSettingsRow",
    "ReviewFlag",
    "RunItem",
    "StockLevel",
    "SyncRun",
    "UserDimension",
    "Vendor",
    "Workspace",
    "WorkspaceLock",
    "WorkspaceSettings",
    "utcnow",
]
