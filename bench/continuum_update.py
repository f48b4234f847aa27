"""Time single-record updates of the users model versioned by SQLAlchemy-Continuum.

Run by audit_bench.py in its own process, so Continuum's global listeners never touch the other
measurements: ``python bench/continuum_update.py DATABASE_URL COUNT WARMUP``; prints a JSON summary.
"""

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from sqlalchemy import MetaData, create_engine  # noqa: E402
from sqlalchemy.orm import DeclarativeBase, Session, configure_mappers  # noqa: E402
from sqlalchemy_continuum import make_versioned, version_class  # noqa: E402
from updates import summary, time_updates  # noqa: E402

from app.auth.models import User  # noqa: E402
from app.core.database import configure_engine  # noqa: E402
from app.core.types import utcnow  # noqa: E402
from app.extensions import NAMING_CONVENTION  # noqa: E402

make_versioned(user_cls=None)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class VersionedUser(Base):
    """The users table, same columns, versioned by Continuum (a users_version table and a transaction table)."""

    __table__ = User.__table__.to_metadata(Base.metadata)
    __versioned__ = {}


def main(url: str, count: int, warmup: int) -> dict:
    """Create Continuum's tables, one user, then time count updates of it."""
    configure_mappers()
    engine = create_engine(url)
    configure_engine(engine)  # same SQLite pragmas and BEGIN IMMEDIATE as the app
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        user = VersionedUser(username="bench", full_name="Bench User", roles="technician", password_hash="x" * 97,
                             active=True, failed_logins=0, created_at=utcnow())
        session.add(user)
        session.commit()
        time_updates(session, VersionedUser, user.id, warmup)
        times = time_updates(session, VersionedUser, user.id, count)
        versions = session.query(version_class(VersionedUser)).count()
    engine.dispose()
    return {**summary(times), "versions": versions}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))))
