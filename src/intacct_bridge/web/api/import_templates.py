"""`GET /workspaces/{workspace}/imports/{kind}/template`: the CSV template of one kind's import.

The same template as `intacct-bridge <kind> template`, the console's "Download the CSV template" link and
`Bridge.import_template`: the header row of the columns the import reads and one example row to replace.
"""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Response

from intacct_bridge.domain.import_columns import template_csv
from intacct_bridge.domain.receivables import RecordKind
from intacct_bridge.web.api.deps import WorkspaceId

router = APIRouter(prefix="/workspaces/{workspace}", tags=["import templates"])

# The names the URL takes: the API's collections (`actions` for journal entries).
KINDS = {"actions": RecordKind.JOURNAL_ENTRY, "customers": RecordKind.CUSTOMER, "invoices": RecordKind.INVOICE,
         "payments": RecordKind.PAYMENT, "credit-memos": RecordKind.CREDIT_MEMO, "vendors": RecordKind.VENDOR,
         "items": RecordKind.ITEM, "bills": RecordKind.BILL, "ap-adjustments": RecordKind.AP_ADJUSTMENT}
Kind = Literal["actions", "customers", "invoices", "payments", "credit-memos", "vendors", "items", "bills",
               "ap-adjustments"]


@router.get("/imports/{kind}/template", summary="The CSV template of one kind's import (header and example row)",
            response_class=Response, responses={200: {"content": {"text/csv": {}}}})
def import_template(kind: Kind, workspace_id: WorkspaceId) -> Response:
    return Response(template_csv(KINDS[kind]), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{kind}-template.csv"'})
