"""Argon2 password hashing; cost parameters come from configuration."""

import secrets
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app


@cache
def _hasher(time_cost: int, memory_cost: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_cost)


def _costs() -> tuple[int, int]:
    config = current_app.config
    return config.get("ARGON2_TIME_COST", 3), config.get("ARGON2_MEMORY_COST", 65536)


def hasher() -> PasswordHasher:
    return _hasher(*_costs())


def hash_password(password: str) -> str:
    return hasher().hash(password)


def needs_rehash(password_hash: str) -> bool:
    """Whether the hash was made with other costs than the configured ones."""
    return hasher().check_needs_rehash(password_hash)


@cache
def _stand_in_hash(time_cost: int, memory_cost: int) -> str:
    """A hash of no one's password, checked when there is no account, so that takes as long as a real check."""
    return _hasher(time_cost, memory_cost).hash(secrets.token_urlsafe(16))


def password_matches(password_hash: str | None, password: str) -> bool:
    """Check a password with one Argon2 verification; with no hash, verify a stand-in and answer no."""
    try:
        if password_hash is None:
            hasher().verify(_stand_in_hash(*_costs()), password)
            return False
        return hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
