"""Concurrent changes: every audited record is either versioned or immutable.

A versioned record carries ``row_version``; SQLAlchemy's ``version_id_col`` makes each UPDATE check it and bump
it, so when two people change the same record at the same moment the second UPDATE matches no row and
``StaleDataError`` is raised: the request answers 409 and nothing of it is written. Its ETag names the version,
so a change sent with ``If-Match`` of an older read answers 412 (``app.core.etags``).

An immutable record (``__immutable__ = True``: a signature, a custody event, a reading) is never updated at all;
a flush that would change one is refused.
"""

from sqlalchemy import Integer, event, inspect
from sqlalchemy.orm import Mapped, Session, declared_attr, mapped_column

import audit

from .i18n import N_

CHANGED_MEANWHILE = N_("changed by someone else meanwhile: reload it and try again")


class Versioned:
    """Mixin: optimistic locking on a ``row_version`` column checked and bumped by every UPDATE."""

    #: bumped by every UPDATE; an UPDATE of an older version matches no row (someone else changed it meanwhile)
    row_version: Mapped[int] = mapped_column(Integer, nullable=False, server_default="1")

    @declared_attr.directive
    def __mapper_args__(cls) -> dict:
        return {"version_id_col": cls.__table__.c.row_version}


class ImmutableRecordChanged(audit.AuditError):
    """An immutable record (a signature, a custody event) was about to be changed."""


def is_versioned(mapper) -> bool:
    return mapper.version_id_col is not None


def is_immutable(mapper) -> bool:
    return bool(getattr(mapper.class_, "__immutable__", False))


def _refuse_changes_to_immutables(session: Session, flush_context, instances) -> None:
    for obj in session.dirty:
        state = inspect(obj)
        if is_immutable(state.mapper) and session.is_modified(obj, include_collections=False):
            raise ImmutableRecordChanged(f"{state.mapper.class_.__name__} records are never changed once written")


def install(session_class: type[Session]) -> None:
    """Refuse, for every session of this class, a flush that changes an immutable record."""
    if not event.contains(session_class, "before_flush", _refuse_changes_to_immutables):
        event.listen(session_class, "before_flush", _refuse_changes_to_immutables)
