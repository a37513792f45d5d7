"""Queries and writes the engines, the CLI and the web app share. Each takes a `Session` (the caller's unit of work)."""
