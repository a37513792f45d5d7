"""What every request handler of the web app shares: the store, operator settings, the secret box, the runner."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fastapi import Request
from fastapi.templating import Jinja2Templates

from intacct_bridge.crypto import SecretBox
from intacct_bridge.settings import OperatorSettings
from intacct_bridge.store.database import Store
from intacct_bridge.web.runner import RunManager

PACKAGE_DIR = Path(__file__).parent
TEMPLATES_DIR = PACKAGE_DIR / "templates"
STATIC_DIR = PACKAGE_DIR / "static"
API_PREFIX = "/api/v1"


@dataclass
class AppState:
    store: Store
    operator: OperatorSettings
    box: SecretBox
    runner: RunManager
    templates: Jinja2Templates
    secure_cookies: bool = False


def get_state(request: Request) -> AppState:
    """The app's shared state (set by `create_app` on the main app and on the mounted API)."""
    return request.app.state.bridge
