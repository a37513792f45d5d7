"""intacct-bridge: sync an organization's transactions into Sage Intacct, exactly once."""

__version__ = "0.1.0"
