"""Where a label's data comes from: one source per kind of record, in a registry other features extend.

A ``LabelSource`` says, for one record type ("unit", "lot", "box"; the dispensing feature adds "dose" and
"patient"), how to load a record, which template kind prints it, the label data (a ``labels.content`` value), the
texts on that label that a scan must resolve back to this very record, and the action that prints it. The printing
operation (app/printing/operations.py) knows nothing else about records: a new kind of label is one
``register(LabelSource(...))`` in the feature that owns the record.
"""

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import gettext as _

from app.core.errors import InvalidInput
from labels.content import Label


@dataclass(frozen=True)
class LabelSource:
    """How the label of one type of record is made."""

    #: the record type as the API names it (and as POST /api/v1/scan answers its "type")
    record_type: str
    #: the model whose rows are printed (locked while they are printed, so two first prints cannot both pass)
    model: type
    #: id -> the record, or NotFound (404) / RuleViolation (409) when it is not this kind of record
    load: Callable[[int], object]
    #: record -> the template kind that prints it ("cryovial", "bag", "box", "dose", "patient")
    kind: Callable[[object], str]
    #: record -> the label data; RuleViolation (409) when the record cannot be labelled (no expiry, destroyed…)
    label: Callable[[object], Label]
    #: label -> the texts its symbols carry that must scan back to exactly this record (POST /api/v1/scan)
    scans: Callable[[Label], list[str]]
    #: record -> what it is called on its label (unit barcode, lot number, box barcode)
    identifier: Callable[[object], str]
    #: the action of the permission table (app/core/permissions.py) that prints it
    action: str


_SOURCES: dict[str, LabelSource] = {}


def register(source: LabelSource) -> None:
    """Make a record type printable."""
    _SOURCES[source.record_type] = source


def record_types() -> tuple[str, ...]:
    return tuple(sorted(_SOURCES))


def get(record_type: str) -> LabelSource:
    """The source of this record type, or 422 naming those there are."""
    source = _SOURCES.get(record_type)
    if source is None:
        raise InvalidInput(_("records of type %(record_type)s have no label: one of %(record_types)s",
                             record_type=repr(record_type), record_types=', '.join(record_types())),
                           {"record_type": [_("one of %(record_types)s", record_types=', '.join(record_types()))]})
    return source
