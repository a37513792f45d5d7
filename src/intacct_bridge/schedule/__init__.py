"""Schedules: when each workspace's sync is due, and the claim that lets one process start it.

`slots` is the arithmetic (a nightly time in the workspace's zone, or every N hours, and the
latest slot that has come); `store.repositories.schedule_slots` is the claim, a row per
(workspace, slot) that exactly one process manages to insert. `web.scheduler` hosts both on
APScheduler in `serve`; with a broker the started runs go to the workers.
"""
