"""Backend of the emulator: the state of every emulated company, apart from the wire format.

Where the behaviour comes from (reference = shared/intacct-xml-api.md, docs = developer.intacct.com pages):

Documented: readByQuery/query operators, page sizes (1-1000 / 1-2000, default 100), record casing,
read/readByName keys (<=100), readMore by resultId or object, BL34000061 duplicate text, ITEMID immutable,
GLBATCH: >=2 lines, TR_TYPE 1/-1, STATE Posted|Draft (default Posted) and the one-letter codes in
queries, REVERSEDATE after BATCH_DATE, LOCATION on every line in a multi-entity company, memo defaults
to the title, GLENTRY as a queryable line object; ARPYMT: RECORDKEY/ENTRYKEY, waterfall, rounding to
cents, PAYERNAME for several customers, FINANCIALENTITY|PRBATCH|UNDEPOSITEDACCOUNTNO, Draft/Submit and
only drafts change; create_invoice rounding, due date or term, Draft/Submit; OE keys <type>-<docno>.

Our assumptions (UNVERIFIED upstream): GLJOURNAL and its fields; closed-period, debit=credit and
active-value errors (BL01001973 texts are ours); refusing >2 decimals on GLBATCH; lookup/inspect/
getDimensions shapes beyond the fixtures and their billing (0); aggregate element names (COUNT.FIELD);
result-set expiry and keyset paging; ICITEMTOTAL storage and the get_icitemtotals shape; stock
refusal when short; only transactions block deletes; entity sessions cannot change top-level records;
the GL company preference BOOKSCLOSEDTHROUGH that get_companyprefs answers (functions/companyprefs.py).
"""

from .models import Company, Entity, Sender, User
from .store import Backend

__all__ = ["Backend", "Company", "Entity", "Sender", "User"]
