"""store layer of intacct-bridge."""
