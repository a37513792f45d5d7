"""The module `intacct-bridge worker` hands to Dramatiq's command line (`dramatiq intacct_bridge.workers.entry`).

Importing it makes the operator's broker the process's broker and declares the run actor on
it, which is what a Dramatiq worker process needs before it consumes.
"""

from __future__ import annotations

import os

import dramatiq

from intacct_bridge.logs import configure_logging
from intacct_bridge.settings import OperatorSettings
from intacct_bridge.workers.actors import declare
from intacct_bridge.workers.broker import broker_for

_operator = OperatorSettings()
configure_logging(os.environ.get("INTACCT_BRIDGE_LOG_FORMAT", "text"), _operator.log_level, _operator)
broker = broker_for(_operator)
dramatiq.set_broker(broker)
run_workspace = declare(broker)

