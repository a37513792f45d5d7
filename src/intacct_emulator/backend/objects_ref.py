"""Reference objects of issue 10: AR terms, tax details, projects, employees and a second UDD (Program).

Field lists follow the reference's §5 style (RECORDNO, the id, a name, STATUS, the 'Created at'
entity); what the public sources do not name is kept to the fields a GL line or a pull needs.
PROJECT and EMPLOYEE are standard GL-line dimensions (PROJECTID, EMPLOYEEID); PROGRAM is a
user-defined dimension like FUND (platform object: lower-case ``id``/``name``, line field GLDIMPROGRAM).
"""

from __future__ import annotations

from .catalogue import ObjectDef, audit, decimal, enum, integer, megaentity, recordno, status, text

ARTERM = ObjectDef(
    name="ARTERM",
    label="AR Term",
    id_field="NAME",
    name_field="DESCRIPTION",
    writable=True,
    fields=(
        recordno(),
        text("NAME", required=True, label="Term"),
        text("DESCRIPTION"),
        status(),
        integer("DUEDATE", label="Due in days"),
        enum("DUEFROM", ("from invoice/bill date", "of the month of invoice/bill date", "of next month from invoice/bill date"),
             default="from invoice/bill date"),
        integer("DISCDATE", label="Discount days"),
        decimal("DISCAMOUNT"),
        *audit(),
        *megaentity(),
    ),
)

TAXDETAIL = ObjectDef(
    name="TAXDETAIL",
    label="Tax Detail",
    id_field="DETAILID",
    name_field="DESCRIPTION",
    writable=True,
    fields=(
        recordno(),
        text("DETAILID", required=True, label="Tax detail ID"),
        text("DESCRIPTION"),
        enum("TAXTYPE", ("Sale", "Purchase"), default="Sale"),
        decimal("VALUE", label="Percent"),
        text("GLACCOUNT", ref="GLACCOUNT"),
        text("TAXSOLUTIONID"),
        status(),
        *audit(),
        *megaentity(),
    ),
)

PROJECT = ObjectDef(
    name="PROJECT",
    label="Project",
    id_field="PROJECTID",
    name_field="NAME",
    writable=True,
    dimension_label="Project",
    fields=(
        recordno(),
        text("PROJECTID", required=True),
        text("NAME", required=True),
        text("DESCRIPTION"),
        text("CUSTOMERID", ref="CUSTOMER"),
        text("PARENTID", ref="PROJECT"),
        text("PROJECTCATEGORY"),
        text("PROJECTSTATUS"),
        text("LOCATIONID", ref="LOCATION"),
        text("DEPARTMENTID", ref="DEPARTMENT"),
        status(),
        *audit(),
        *megaentity(),
        text("RECORD_URL", readonly=True),
    ),
)

EMPLOYEE = ObjectDef(
    name="EMPLOYEE",
    label="Employee",
    id_field="EMPLOYEEID",
    name_field="PERSONALINFO.CONTACTNAME",
    writable=True,
    dimension_label="Employee",
    fields=(
        recordno(),
        text("EMPLOYEEID", required=True),
        text("PERSONALINFO.CONTACTNAME", required=True, label="Name"),
        text("TITLE"),
        text("LOCATIONID", ref="LOCATION"),
        text("DEPARTMENTID", ref="DEPARTMENT"),
        status(),
        *audit(),
        *megaentity(),
        text("RECORD_URL", readonly=True),
    ),
)

PROGRAM = ObjectDef(
    name="PROGRAM",
    label="Program",
    id_field="id",
    name_field="name",
    writable=True,
    udd=True,
    dimension_label="Program",
    fields=(
        recordno(),
        text("id", required=True, label="Program ID"),
        text("name", required=True, label="Program name"),
        text("description"),
        status(),
        *audit(),
        *megaentity(),
        text("RECORD_URL", readonly=True),
    ),
)

OBJECTS = (ARTERM, TAXDETAIL, PROJECT, EMPLOYEE, PROGRAM)
