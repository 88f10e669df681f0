"""The desktop settings, each declared once with its type, default and label. A value comes
from the environment (for tests and kiosks), else from the settings file start-up names
(casework.ini in the Casework home folder: casework.app decides where that is), else the
default."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from PySide6.QtCore import QT_TRANSLATE_NOOP, QSettings

T = TypeVar("T", int, str)

_file: Path | None = None  # none named (tests, tools): the environment and the defaults only


def use_file(path: Path | None) -> None:
    """Read settings from `path` (an INI file; it need not exist yet) from now on."""
    global _file
    _file = path


@dataclass(frozen=True)
class Setting(Generic[T]):
    key: str
    default: T
    label: str
    env: str
    minimum: int | None = None
    maximum: int | None = None

    def value(self) -> T:
        raw = os.environ.get(self.env)
        if raw is None and _file is not None:
            raw = QSettings(str(_file), QSettings.Format.IniFormat).value(self.key)
        if raw is None:
            return self.default
        try:
            value = type(self.default)(raw)
        except (TypeError, ValueError):
            return self.default
        if isinstance(value, int):
            if self.minimum is not None:
                value = max(self.minimum, value)
            if self.maximum is not None:
                value = min(self.maximum, value)
        return value  # type: ignore[return-value]


IDLE_LOCK_MINUTES = Setting(
    "security/idle_lock_minutes", 15,
    QT_TRANSLATE_NOOP("settings", "Lock the window after this many minutes without use"),
    env="CASEWORK_IDLE_LOCK_MINUTES", minimum=1, maximum=240,
)
FONT_POINT_SIZE = Setting(
    "appearance/font_point_size", 10,
    QT_TRANSLATE_NOOP("settings", "Text size (points)"),
    env="CASEWORK_FONT_POINT_SIZE", minimum=8, maximum=24,
)
