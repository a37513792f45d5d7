"""Runs at scale: Dramatiq workers on a Redis broker, and the company slots every process shares.

`broker` builds the deployment's broker from the operator settings; `actors` declares what a
worker runs (a workspace's sync); `queue` is how `serve`, the scheduler, the CLI and the API
hand a run to the workers; `limiter` holds Intacct's per-company limit across processes;
`entry` is the module `intacct-bridge worker` hands to Dramatiq's own command line.

Without `INTACCT_BRIDGE_BROKER_URL` none of this is used: runs go in-process on SQLite.
"""
