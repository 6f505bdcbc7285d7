"""Allow ``python -m helpers``."""

from helpers.run.cli import console

raise SystemExit(console())
