"""sync layer of intacct-bridge."""
