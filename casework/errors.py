"""The errors every service may raise. Plain Python: the UI, CLI and tests catch these."""

from __future__ import annotations


class CaseworkError(Exception):
    """Base of every error Casework raises on purpose."""


class ValidationError(CaseworkError):
    """Bad input. Names each field and what is wrong with it."""

    def __init__(self, field: str, problem: str, *, more: dict[str, str] | None = None):
        self.problems: dict[str, str] = {field: problem, **(more or {})}
        self.field = field
        self.problem = problem
        super().__init__("; ".join(f"{f}: {p}" for f, p in self.problems.items()))

    @classmethod
    def of(cls, problems: dict[str, str]) -> "ValidationError":
        first, *_ = problems
        rest = {k: v for k, v in problems.items() if k != first}
        return cls(first, problems[first], more=rest)


class PermissionDenied(CaseworkError):
    """The actor may not do this. `reason` is machine-readable, the message is for people."""

    def __init__(self, action: str, reason: str, message: str):
        self.action = action
        self.reason = reason
        super().__init__(message)


class NotFound(CaseworkError):
    def __init__(self, kind: str, ident: object):
        self.kind = kind
        self.ident = ident
        super().__init__(f"No {kind} with id {ident}")


class Conflict(CaseworkError):
    """Someone else changed the record since it was read; nothing was written."""


class AuthenticationFailed(CaseworkError):
    """Wrong username or password, a locked account or a deactivated one."""

    def __init__(self, message: str, *, reason: str):
        self.reason = reason
        super().__init__(message)


class WorkspaceKeyError(CaseworkError):
    """The workspace file cannot be opened with the key or passphrase given (or none was found)."""


class PassphraseNeeded(WorkspaceKeyError):
    """No stored key: the user must type the workspace passphrase."""


class WorkspaceMissing(CaseworkError):
    """No workspace where one was to be opened (or the file there is not one)."""
