"""Pure rules of the journal-entry sync: validation, mapping defaults, journal-entry building, identifiers.

No I/O and no SQLAlchemy: plain dataclasses in, plain results out.
"""

from intacct_bridge.domain.identifiers import controlid, parse_reference_no, reference_no
from intacct_bridge.domain.journal import InvalidAction, JournalEntry, build_journal_entry, posting_date
from intacct_bridge.domain.mapping import Mapped, apply_defaults, catalogue_of
from intacct_bridge.domain.model import ActionView, AppliedDefault, CampaignTag, Reason
from intacct_bridge.domain.sync_settings import CustomField, MappingRule, SyncSettings
from intacct_bridge.domain.validation import validate_action
from intacct_bridge.domain.values import parse_amount, parse_timestamp, posting_date_of

__all__ = [
    "ActionView",
    "AppliedDefault",
    "CampaignTag",
    "CustomField",
    "InvalidAction",
    "JournalEntry",
    "Mapped",
    "MappingRule",
    "Reason",
    "SyncSettings",
    "apply_defaults",
    "build_journal_entry",
    "catalogue_of",
    "controlid",
    "parse_amount",
    "parse_reference_no",
    "parse_timestamp",
    "posting_date",
    "posting_date_of",
    "reference_no",
    "validate_action",
]
