"""Named data sets the backend can load (``Backend.seed(name)``)."""

from __future__ import annotations

from .demo import seed_demo
from .fleet import seed_fleet

SEEDS = {"demo": seed_demo, "fleet": seed_fleet}
