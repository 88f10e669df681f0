"""The only door to the data. See ARCHITECTURE.md, "The service contract"."""

from casework.services.me import Me
from casework.services.workspace import (
    PassphraseNeeded,
    Workspace,
    WorkspaceMissing,
    create_workspace,
    keychain_available,
    open_workspace,
)

__all__ = [
    "Me",
    "PassphraseNeeded",
    "Workspace",
    "WorkspaceMissing",
    "create_workspace",
    "keychain_available",
    "open_workspace",
]
