"""The helping-hands chart of accounts and dimension values (plain data, used by the demo seed)."""

from __future__ import annotations

BS, IS = "balancesheet", "incomestatement"
DR, CR = "debit", "credit"

# (ACCOUNTNO, TITLE, ACCOUNTTYPE, NORMALBALANCE, CATEGORY, STATUS, REQUIRE* flags)
ACCOUNTS: list[tuple[str, str, str, str, str, str, tuple[str, ...]]] = [
    ("1000", "Cash - Operating Checking", BS, DR, "Cash and Cash Equivalents", "active", ()),
    ("1010", "Cash - Payroll Checking", BS, DR, "Cash and Cash Equivalents", "active", ()),
    ("1020", "Cash - Savings", BS, DR, "Cash and Cash Equivalents", "active", ()),
    ("1030", "Petty Cash", BS, DR, "Cash and Cash Equivalents", "active", ()),
    ("1100", "Undeposited Funds", BS, DR, "Cash and Cash Equivalents", "active", ()),
    ("1200", "Accounts Receivable", BS, DR, "Accounts Receivable", "active", ()),
    ("1210", "Allowance for Doubtful Accounts", BS, CR, "Accounts Receivable", "active", ()),
    ("1250", "Pledges Receivable", BS, DR, "Other Receivables", "active", ()),
    ("1260", "Grants Receivable", BS, DR, "Other Receivables", "active", ()),
    ("1300", "Inventory - Merchandise", BS, DR, "Inventory", "active", ()),
    ("1400", "Prepaid Expenses", BS, DR, "Prepaid Expenses", "active", ()),
    ("1500", "Investments", BS, DR, "Investments", "active", ()),
    ("1600", "Furniture and Equipment", BS, DR, "Fixed Assets", "active", ()),
    ("1610", "Accumulated Depreciation", BS, CR, "Fixed Assets", "active", ()),
    ("1700", "Security Deposits", BS, DR, "Other Assets", "active", ()),
    ("1900", "Old Cash Clearing", BS, DR, "Cash and Cash Equivalents", "inactive", ()),
    ("2000", "Accounts Payable", BS, CR, "Accounts Payable", "active", ()),
    ("2100", "Accrued Liabilities", BS, CR, "Accrued Liabilities", "active", ()),
    ("2200", "Accrued Payroll", BS, CR, "Accrued Liabilities", "active", ()),
    ("2300", "Payroll Taxes Payable", BS, CR, "Accrued Liabilities", "active", ()),
    ("2400", "Deferred Revenue", BS, CR, "Deferred Revenue", "active", ()),
    ("2500", "Refundable Advances", BS, CR, "Deferred Revenue", "active", ()),
    ("2600", "Sales Tax Payable", BS, CR, "Other Current Liabilities", "active", ()),
    ("2700", "Line of Credit", BS, CR, "Short-Term Debt", "active", ()),
    ("2800", "Notes Payable - Long Term", BS, CR, "Long-Term Debt", "active", ()),
    ("3000", "Net Assets Without Donor Restrictions", BS, CR, "Net Assets", "active", ()),
    ("3100", "Net Assets With Donor Restrictions", BS, CR, "Net Assets", "active", ()),
    ("3200", "Board Designated Net Assets", BS, CR, "Net Assets", "active", ()),
    ("4000", "Individual Contributions", IS, CR, "Contributions", "active", ()),
    ("4010", "Major Gifts", IS, CR, "Contributions", "active", ()),
    ("4020", "In-Kind Contributions", IS, CR, "Contributions", "active", ()),
    ("4100", "Corporate Contributions", IS, CR, "Contributions", "active", ()),
    ("4200", "Foundation Grants", IS, CR, "Grants", "active", ()),
    ("4210", "Government Grants", IS, CR, "Grants", "active", ("LOC",)),
    ("4300", "Membership Dues", IS, CR, "Membership", "active", ()),
    ("4400", "Event Ticket Revenue", IS, CR, "Special Events", "active", ()),
    ("4410", "Event Sponsorships", IS, CR, "Special Events", "active", ()),
    ("4500", "Program Service Fees", IS, CR, "Program Revenue", "active", ()),
    ("4600", "Merchandise Sales", IS, CR, "Program Revenue", "active", ()),
    ("4700", "Investment Income", IS, CR, "Other Revenue", "active", ()),
    ("4800", "Miscellaneous Revenue", IS, CR, "Other Revenue", "active", ()),
    ("4900", "Net Assets Released from Restriction", IS, CR, "Releases", "active", ()),
    ("4950", "Legacy Bequests (retired)", IS, CR, "Contributions", "inactive", ()),
    ("5000", "Salaries and Wages", IS, DR, "Personnel", "active", ()),
    ("5010", "Employee Benefits", IS, DR, "Personnel", "active", ()),
    ("5020", "Payroll Taxes", IS, DR, "Personnel", "active", ()),
    ("5100", "Program Supplies", IS, DR, "Program Expenses", "active", ()),
    ("5200", "Food and Meals Programs", IS, DR, "Program Expenses", "active", ()),
    ("5300", "Client Assistance", IS, DR, "Program Expenses", "active", ()),
    ("5400", "Volunteer Expenses", IS, DR, "Program Expenses", "active", ()),
    ("5500", "Cost of Goods Sold", IS, DR, "Cost of Sales", "active", ()),
    ("6000", "Rent and Occupancy", IS, DR, "Occupancy", "active", ()),
    ("6010", "Utilities", IS, DR, "Occupancy", "active", ()),
    ("6100", "Office Supplies", IS, DR, "General and Administrative", "active", ("DEPT",)),
    ("6200", "Telephone and Internet", IS, DR, "General and Administrative", "active", ()),
    ("6300", "Postage and Shipping", IS, DR, "General and Administrative", "active", ()),
    ("6400", "Printing and Publications", IS, DR, "General and Administrative", "active", ()),
    ("6500", "Travel", IS, DR, "General and Administrative", "active", ()),
    ("6600", "Conferences and Meetings", IS, DR, "General and Administrative", "active", ()),
    ("6700", "Professional Fees - Accounting", IS, DR, "Professional Fees", "active", ()),
    ("6710", "Professional Fees - Legal", IS, DR, "Professional Fees", "active", ()),
    ("6800", "Insurance", IS, DR, "General and Administrative", "active", ()),
    ("6900", "Depreciation Expense", IS, DR, "General and Administrative", "active", ()),
    ("7000", "Fundraising Events Expense", IS, DR, "Fundraising", "active", ()),
    ("7100", "Bank and Merchant Fees", IS, DR, "Fundraising", "active", ()),
    ("7200", "Dues and Subscriptions", IS, DR, "General and Administrative", "active", ()),
    ("7300", "Bad Debt Expense", IS, DR, "General and Administrative", "active", ()),
]

LOCATIONS = [
    ("100", "Headquarters", "active"),
    ("200", "North Side Community Center", "active"),
    ("300", "South Side Community Center", "active"),
    ("400", "Food Pantry Warehouse", "active"),
    ("500", "Mobile Outreach Van", "inactive"),
]

DEPARTMENTS = [
    ("ADM", "Administration", "active"),
    ("FIN", "Finance", "active"),
    ("DEV", "Development and Fundraising", "active"),
    ("PRG", "Programs", "active"),
    ("OUT", "Community Outreach", "active"),
    ("VOL", "Volunteer Services", "active"),
    ("COM", "Communications", "active"),
    ("OLD", "Legacy Department", "inactive"),
]

CLASSES = [
    ("C100", "Youth Services", "active"),
    ("C200", "Food Security", "active"),
    ("C300", "Housing Assistance", "active"),
    ("C400", "Senior Services", "active"),
    ("C500", "General Operations", "active"),
    ("C900", "Discontinued Programs", "inactive"),
]

FUNDS = [
    ("F01", "General Fund", "active", "false"),
    ("F02", "Capital Campaign", "active", "true"),
    ("F03", "Endowment", "active", "true"),
    ("F04", "Scholarship Fund", "active", "true"),
    ("F05", "Youth Programs Restricted", "active", "true"),
    ("F06", "Food Pantry Restricted", "active", "true"),
    ("F07", "Emergency Relief", "active", "true"),
    ("F08", "Board Designated Reserve", "active", "false"),
    ("F09", "Housing Grant", "active", "true"),
    ("F10", "Retired Disaster Fund", "inactive", "true"),
]

JOURNALS = [
    ("GJ", "General Journal", "active"),
    ("CRJ", "Cash Receipts Journal", "active"),
    ("ADJ", "Adjustments Journal", "active"),
    ("OLDJ", "Retired Journal", "inactive"),
]

CUSTOMERS = [
    ("CUST-0001", "Riverside Community Foundation", "grants@riverside-cf.example"),
    ("CUST-0002", "Maple Street Grocers", "giving@maplegrocers.example"),
    ("CUST-0003", "Jane Alvarez", "jane.alvarez@example.org"),
    ("CUST-0004", "Tom O'Brien", "tobrien@example.org"),
    ("CUST-0005", "Lakeside Rotary Club", "treasurer@lakeside-rotary.example"),
    ("CUST-0006", "City of Springfield", "ap@springfield.example"),
]

VENDORS = [
    ("V-100", "Office Depot", "active"),
    ("V-200", "Springfield Utilities", "active"),
    ("V-300", "Food Bank Regional Supply", "active"),
]

# (NAME, due in days, due from, status): the AP terms bills may name (APTERM)
AP_TERMS = [
    ("Net 30", "30", "from bill date", "active"),
    ("Net 15", "15", "from bill date", "active"),
    ("Net 60", "60", "from bill date", "active"),
    ("Due on Receipt", "0", "from bill date", "active"),
    ("Net 10 EOM", "10", "of next month from bill date", "active"),
    ("Net 90 (retired)", "90", "from bill date", "inactive"),
]

# (ITEMID, NAME, ITEMTYPE, BASEPRICE, income account)
ITEMS = [
    ("MEMB-IND", "Individual Membership", "Non-Inventory", "50.00", "4300"),
    ("MEMB-FAM", "Family Membership", "Non-Inventory", "90.00", "4300"),
    ("TIX-GALA", "Annual Gala Ticket", "Non-Inventory (Sales only)", "150.00", "4400"),
    ("SVC-CLASS", "Program Class Fee", "Non-Inventory", "25.00", "4500"),
    ("TSHIRT", "Helping Hands T-Shirt", "Inventory", "20.00", "4600"),
    ("MUG", "Coffee Mug", "Inventory", "12.50", "4600"),
    ("TOTE", "Canvas Tote Bag", "Inventory", "15.00", "4600"),
]

WAREHOUSES = [("WH-MAIN", "Main Warehouse", "400"), ("WH-NORTH", "North Center Stockroom", "200")]

# (ITEMID, WAREHOUSEID, on hand)
STOCK = [
    ("TSHIRT", "WH-MAIN", "120"),
    ("TSHIRT", "WH-NORTH", "30"),
    ("MUG", "WH-MAIN", "75"),
    ("MUG", "WH-NORTH", "10"),
    ("TOTE", "WH-MAIN", "200"),
]

# -- issue 10: reference data (AR terms, tax details) and the GL-line dimensions beyond the first ones --
AR_TERMS = [  # (NAME, DESCRIPTION, due days, status)
    ("N30", "Net 30", "30", "active"),
    ("N15", "Net 15", "15", "active"),
    ("DUE", "Due on receipt", "0", "active"),
    ("N90", "Net 90 (retired)", "90", "inactive"),
]
TAX_DETAILS = [  # (DETAILID, DESCRIPTION, TAXTYPE, percent, status)
    ("ST-OR", "Oregon sales tax", "Sale", "0.00", "active"),
    ("ST-CA", "California sales tax", "Sale", "7.25", "active"),
    ("PT-CA", "California use tax", "Purchase", "7.25", "active"),
]
PROJECTS = [  # (PROJECTID, NAME, status)
    ("P-100", "Winter Shelter Expansion", "active"),
    ("P-200", "Food Bank Warehouse", "active"),
    ("P-900", "Closed Capital Campaign", "inactive"),
]
EMPLOYEES = [  # (EMPLOYEEID, name, status)
    ("EMP-01", "Dana Whitfield", "active"),
    ("EMP-02", "Luis Romero", "active"),
]
PROGRAMS = [  # a second user-defined dimension (GLDIMPROGRAM): (id, name, status)
    ("PG-YOUTH", "Youth Services", "active"),
    ("PG-SENIOR", "Senior Services", "active"),
    ("PG-OLD", "Discontinued Program", "inactive"),
]
# The multi-entity company's values owned by one entity: (entity, object, fields)
ENTITY_OWNED = [
    ("E100", "DEPARTMENT", {"DEPARTMENTID": "D-E100", "TITLE": "East Outreach", "STATUS": "active"}),
    ("E200", "DEPARTMENT", {"DEPARTMENTID": "D-E200", "TITLE": "West Outreach", "STATUS": "active"}),
    ("E100", "PROJECT", {"PROJECTID": "P-E100", "NAME": "East Shelter Build", "STATUS": "active"}),
    ("E200", "PROJECT", {"PROJECTID": "P-E200", "NAME": "West Pantry Build", "STATUS": "active"}),
    ("E100", "EMPLOYEE", {"EMPLOYEEID": "EMP-E100", "PERSONALINFO.CONTACTNAME": "Erin East", "STATUS": "active"}),
    ("E200", "ARTERM", {"NAME": "N45-WEST", "DESCRIPTION": "Net 45 (West only)", "DUEDATE": "45", "STATUS": "active"}),
]
# Whose entity access is restricted (Company > Admin > Users): may reach E100 and E200, not E300 nor the top level.
RESTRICTED_USER_ID = "ws_east"
RESTRICTED_USER_ENTITIES = frozenset({"E100", "E200"})
