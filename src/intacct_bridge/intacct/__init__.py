"""intacct layer of intacct-bridge."""
