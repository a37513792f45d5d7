"""Named data sets the backend can load (``Backend.seed(name)``)."""

from __future__ import annotations

from .demo import seed_demo

SEEDS = {"demo": seed_demo}
