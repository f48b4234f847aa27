"""What every benchmark prints about its run: progress lines, versions and the machine's load."""

import os
import platform
import sqlite3
import sys
import time
from pathlib import Path

import benchdb
import sqlalchemy


def progress(message: str) -> None:
    """A time-stamped progress line on stderr."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def load_average() -> str:
    """The 1-minute load average: other processes on the machine skew every figure."""
    try:
        return Path("/proc/loadavg").read_text().split()[0]
    except OSError:
        return "unknown"


def machine(backends: list[str], load_at_start: str) -> str:
    """Versions, CPUs and the load at start and now."""
    versions = [f"Python {platform.python_version()}", f"SQLAlchemy {sqlalchemy.__version__}",
                f"SQLite {sqlite3.sqlite_version}"]
    if "postgresql" in backends:
        versions.append(f"PostgreSQL {benchdb.server_version()}")
    return (f"{', '.join(versions)}; {os.cpu_count()} CPUs, load average {load_at_start} at start, "
            f"{load_average()} at end")
