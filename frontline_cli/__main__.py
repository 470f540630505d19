"""Allow ``python -m frontline_cli``."""

from frontline_cli.main import main

raise SystemExit(main())
