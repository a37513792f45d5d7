"""Every module of the web package imports on its own (no import cycle that only the app's import order hides)."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import pytest

import intacct_bridge.web

MODULES = sorted(m.name for m in pkgutil.walk_packages(intacct_bridge.web.__path__, "intacct_bridge.web."))
# One interpreter; before each module, the web package is forgotten (its dependencies stay loaded).
SCRIPT = """
import importlib, sys
failed = []
for name in sys.argv[1:]:
    for loaded in [m for m in sys.modules if m == "intacct_bridge.web" or m.startswith("intacct_bridge.web.")]:
        del sys.modules[loaded]
    try:
        importlib.import_module(name)
    except ImportError as error:
        failed.append(f"{name}: {error}")
print("\\n".join(failed))
"""


@pytest.mark.slow
def test_each_web_module_imports_first():
    assert "intacct_bridge.web.services" in MODULES and len(MODULES) > 20
    result = subprocess.run([sys.executable, "-c", SCRIPT, *MODULES], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""
