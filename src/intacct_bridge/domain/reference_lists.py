"""The reference lists pulled from Intacct that settings offer, by the names the CLI, REST API and console use.

Kept apart from the store's `reference` repository (which re-exports them) so the command line can name
them in its help without loading the store.
"""

from __future__ import annotations

ENTITIES = "LOCATIONENTITY"
JOURNALS = "GLJOURNAL"
AR_TERMS = "ARTERM"
TAX_DETAILS = "TAXDETAIL"
# What each reference object is called in messages.
LABELS = {ENTITIES: "entity", JOURNALS: "journal", AR_TERMS: "AR term", TAX_DETAILS: "tax detail"}
# The names the CLI, REST API and console use for the lists settings offer.
LISTS = {"entities": ENTITIES, "journals": JOURNALS, "ar-terms": AR_TERMS, "tax-details": TAX_DETAILS}
