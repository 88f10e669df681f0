"""Where workspaces, backups and logs live. CASEWORK_HOME overrides all of it (tests, demos)."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "Casework"
HOME_ENV = "CASEWORK_HOME"


def home() -> Path:
    override = os.environ.get(HOME_ENV)
    base = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, False))
    base.mkdir(parents=True, exist_ok=True)
    return base


def default_workspace() -> Path:
    return home() / "casework.db"


def demo_workspace() -> Path:
    d = home() / "demo"
    d.mkdir(parents=True, exist_ok=True)
    return d / "casework-demo.db"


def backups_dir(workspace: Path) -> Path:
    """Backups sit beside the workspace they copy, so moving the folder keeps them together."""
    d = workspace.parent / "backups"
    d.mkdir(parents=True, exist_ok=True)
    return d

