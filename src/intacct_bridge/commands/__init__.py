"""CLI command groups. Each module here defines `register(app: typer.Typer) -> None`.

`intacct_bridge.cli` discovers them, so areas of the product add commands
without editing a shared file.
"""
