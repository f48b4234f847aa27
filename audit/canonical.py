"""Canonical JSON: sorted keys, no floats, UTC ISO-8601 times, UTF-8 bytes."""

import datetime as dt
import enum
from decimal import Decimal

import orjson


def utc_iso(moment: dt.datetime) -> str:
    """Format an aware datetime as UTC ISO-8601 with microseconds and a Z."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime in audited data; store times timezone-aware in UTC")
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def plain(value):
    """Turn a stored value into plain JSON data, refusing floats."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        raise TypeError("floats are not allowed in audited data; use integers or Decimal")
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        return utc_iso(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return plain(value.value)
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [plain(v) for v in value]
        return sorted(items, key=repr) if isinstance(value, set | frozenset) else items
    raise TypeError(f"cannot put {type(value).__name__} into audited data")


def dumps(data) -> bytes:
    """Serialise data canonically."""
    return orjson.dumps(plain(data), option=orjson.OPT_SORT_KEYS)
