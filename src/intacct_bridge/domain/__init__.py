"""domain layer of intacct-bridge."""
