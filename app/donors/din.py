"""DIN allocation: FIN + 2-digit year + 6-digit sequence per year, gapless and unique under concurrency.

The counter row is incremented by an UPDATE in the procurement's own transaction: concurrent requests
queue on the row lock, and a rolled-back procurement gives its number back, so there are no gaps.
"""

from flask_babel import gettext as _
from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite

from app.core.errors import RuleViolation
from app.extensions import db

from .models import DinSequence

MAX_SEQUENCE = 999_999


def _insert_year(year: int):
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return insert(DinSequence).values(year=year, last_value=0).on_conflict_do_nothing(index_elements=["year"])


def allocate_din(fin: str, year: int) -> str:
    """The next DIN of this facility and year."""
    db.session.execute(_insert_year(year))
    value = db.session.execute(
        update(DinSequence).where(DinSequence.year == year).values(last_value=DinSequence.last_value + 1)
        .returning(DinSequence.last_value),
        execution_options={"synchronize_session": False},
    ).scalar_one()
    if value > MAX_SEQUENCE:
        raise RuleViolation(_("the DIN sequence of %(year)s is exhausted (%(max_sequence)s donations)", year=year,
                              max_sequence=MAX_SEQUENCE))
    return f"{fin}{year % 100:02d}{value:06d}"
