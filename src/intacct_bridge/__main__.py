from intacct_bridge.cli import app

app()
