"""Allow ``python -m helpers``."""

from helpers.run.cli import main

raise SystemExit(main())
