"""Notifications: email (SMTP) and signed webhooks about a workspace's runs, queued in the store, delivered after.

`events` names what is told and words it; `targets` decides where a webhook may go; `signing` signs a
webhook's body; `run_events` queues a finished run's notifications (the engine calls it); `delivery`
sends what is due (`deliver_pending`, after a run in the same process, or from a worker).
"""
