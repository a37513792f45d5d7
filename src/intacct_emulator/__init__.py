"""A local, faithful emulator of the Sage Intacct XML Web Services gateway.

It shares no code with :mod:`intacct_bridge`: it stands in for Intacct, and a
product that leaned on its internals would test nothing.
"""
