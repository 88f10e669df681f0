"""python -m casework: the desktop application (same as the `casework` command)."""

from casework.app import main

raise SystemExit(main())
