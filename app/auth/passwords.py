"""Argon2 password hashing; cost parameters come from configuration."""

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app


@cache
def _hasher(time_cost: int, memory_cost: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_cost)


def hasher() -> PasswordHasher:
    config = current_app.config
    return _hasher(config.get("ARGON2_TIME_COST", 3), config.get("ARGON2_MEMORY_COST", 65536))


def hash_password(password: str) -> str:
    return hasher().hash(password)


def password_matches(password_hash: str | None, password: str) -> bool:
    """Check a password; with no hash, spend the same time and answer no."""
    try:
        if password_hash is None:
            hasher().hash(password)
            return False
        return hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
