"""Dimension objects: location, department, class and the user-defined dimension Fund."""

from __future__ import annotations

from .catalogue import ObjectDef, audit, boolean, contact, date, integer, megaentity, recordno, status, text

LOCATION = ObjectDef(
    name="LOCATION",
    label="Location",
    id_field="LOCATIONID",
    name_field="NAME",
    writable=True,
    dimension_label="Location",
    fields=(
        recordno(),
        text("LOCATIONID", required=True),
        text("NAME", required=True),
        text("PARENTID", ref="LOCATION"),
        integer("PARENTKEY", readonly=True),
        text("PARENTNAME", readonly=True),
        text("SUPERVISORID"),
        text("SUPERVISORNAME", readonly=True),
        *contact("CONTACTINFO"),
        text("SHIPTO.CONTACTNAME"),
        date("STARTDATE"),
        date("ENDDATE"),
        status(),
        text("CURRENCY"),
        text("FEDERALID"),
        integer("FIRSTMONTH"),
        integer("WEEKSTART"),
        text("ENTITY", readonly=True),
        integer("ENTITYRECORDNO", readonly=True),
        text("CUSTTITLE"),
        text("LOCATIONTYPE", readonly=True),
        *audit(),
        *megaentity(),
        text("RECORD_URL", readonly=True),
    ),
)

DEPARTMENT = ObjectDef(
    name="DEPARTMENT",
    label="Department",
    id_field="DEPARTMENTID",
    name_field="TITLE",
    writable=True,
    dimension_label="Department",
    fields=(
        recordno(),
        text("DEPARTMENTID", required=True),
        text("TITLE", required=True),
        integer("PARENTKEY", readonly=True),
        text("PARENTID", ref="DEPARTMENT"),
        text("PARENTNAME", readonly=True),
        integer("SUPERVISORKEY", readonly=True),
        text("SUPERVISORID"),
        text("SUPERVISORNAME", readonly=True),
        status(),
        text("CUSTTITLE"),
        *audit(),
        *megaentity(),
        text("RECORD_URL", readonly=True),
    ),
)

CLASS = ObjectDef(
    name="CLASS",
    label="Class",
    id_field="CLASSID",
    name_field="NAME",
    writable=True,
    dimension_label="Class",
    fields=(
        recordno(),
        text("CLASSID", required=True),
        text("NAME", required=True),
        text("DESCRIPTION"),
        status(),
        integer("PARENTKEY", readonly=True),
        text("PARENTID", ref="CLASS"),
        text("PARENTNAME", readonly=True),
        *audit(),
        *megaentity(),
        text("RECORD_URL", readonly=True),
    ),
)

# A platform (UDD) object: its fields are lower-case ``id`` and ``name`` like other platform objects.
FUND = ObjectDef(
    name="FUND",
    label="Fund",
    id_field="id",
    name_field="name",
    writable=True,
    udd=True,
    dimension_label="Fund",
    fields=(
        recordno(),
        text("id", required=True, label="Fund ID"),
        text("name", required=True, label="Fund name"),
        text("description"),
        status(),
        boolean("RESTRICTED", label="Donor restricted"),
        *audit(),
        *megaentity(),
        text("RECORD_URL", readonly=True),
    ),
)

OBJECTS = (LOCATION, DEPARTMENT, CLASS, FUND)
