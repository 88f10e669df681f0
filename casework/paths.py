"""Where workspaces, backups and logs live. CASEWORK_HOME overrides all of it (tests, demos)."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "Casework"
HOME_ENV = "CASEWORK_HOME"


def home() -> Path:
    override = os.environ.get(HOME_ENV)
    if override:
        base = Path(override)
    else:
        import platformdirs  # only here: start-up with CASEWORK_HOME set never needs it

        base = Path(platformdirs.user_data_dir(APP_NAME, False))
    base.mkdir(parents=True, exist_ok=True)
    return base


def default_workspace() -> Path:
    return home() / "casework.db"


def demo_workspace() -> Path:
    d = home() / "demo"
    d.mkdir(parents=True, exist_ok=True)
    return d / "casework-demo.db"


def settings_file() -> Path:
    """The desktop settings (casework.ui.settings), in the Casework home folder."""
    return home() / "casework.ini"


def backups_dir(workspace: Path) -> Path:
    """Backups sit beside the workspace they copy, so moving the folder keeps them together."""
    d = workspace.parent / "backups"
    d.mkdir(parents=True, exist_ok=True)
    return d

