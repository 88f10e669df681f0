"""Password hashing (argon2id) and the rules a new password must meet."""

from __future__ import annotations

import os
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from casework.errors import ValidationError

MIN_LENGTH = 10
# A workspace passphrase guards every record in the file and cannot be reset: longer.
MIN_PASSPHRASE_LENGTH = 12
# Tests and synthetic data set this to hash cheaply; never set in production.
FAST_ENV = "CASEWORK_FAST_PASSWORD_HASH"


@cache
def _hasher(fast: bool) -> PasswordHasher:
    if fast:
        return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    return PasswordHasher()  # argon2id, RFC 9106 low-memory profile


def hasher() -> PasswordHasher:
    return _hasher(os.environ.get(FAST_ENV) == "1")


def hash_password(password: str) -> str:
    return hasher().hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    try:
        return hasher().verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    try:
        return hasher().check_needs_rehash(stored_hash)
    except InvalidHashError:
        return True


def check_new_password(password: str, *, username: str, field: str = "password") -> None:
    if len(password) < MIN_LENGTH:
        raise ValidationError(field, f"must be at least {MIN_LENGTH} characters long")
    if password.strip().lower() == username.strip().lower():
        raise ValidationError(field, "must not be the same as the username")
    if not password.strip():
        raise ValidationError(field, "must not be only spaces")


def check_new_passphrase(passphrase: str, *, field: str = "passphrase") -> None:
    if len(passphrase) < MIN_PASSPHRASE_LENGTH:
        raise ValidationError(field, f"must be at least {MIN_PASSPHRASE_LENGTH} characters long")
    if not passphrase.strip():
        raise ValidationError(field, "must not be only spaces")
