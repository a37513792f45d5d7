"""web layer of intacct-bridge."""
