"""The database side of the trail at runtime: the SQLite hash function that the insert check calls.

The triggers and functions themselves are installed by the migrations, each revision with its own frozen DDL;
audit/guards.py says which of them must be in place for the verifier to trust the database.
"""

import hashlib

from .chain import DOMAIN_TAG

SQLITE_HASH_FUNCTION = "audit_entry_hash"


def register_sqlite_functions(dbapi_connection) -> None:
    """Give a SQLite connection the hash function that the insert trigger checks entries with."""
    dbapi_connection.create_function(
        SQLITE_HASH_FUNCTION, 2,
        lambda prev, payload: hashlib.sha256(DOMAIN_TAG + prev.encode("ascii") + payload).hexdigest(),
        deterministic=True,
    )
