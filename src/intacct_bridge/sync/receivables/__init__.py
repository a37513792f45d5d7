"""Order-to-cash on the outbox (SPEC §3): customers, invoices, payments and credit memos as record kinds,
and the pulls that bring back what Intacct holds (open invoices and their payments, stock)."""
