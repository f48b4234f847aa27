"""ETags of GMP records in the API, against lost updates between a read and a later change.

The record an API URL names (``/api/v1/lots/<int:lot_id>/…``) is found through its id argument, registered by
its feature. A GET answers the record's ETag, which names its ``row_version``; a change sent with ``If-Match``
that no longer matches it is refused with 412 before anything is done. Inside the change's own transaction the
version is checked again by the UPDATE itself (``app.core.versioning``).
"""

from flask import Flask, g, request
from flask_login import current_user
from werkzeug.exceptions import PreconditionFailed

from app.extensions import db

from .lookup import MAX_ID

#: URL id argument -> the versioned model it names
_RECORDS: dict[str, type] = {}


def register(argument: str, model: type) -> None:
    """Declare that API URLs with this id argument name a record of this model."""
    _RECORDS[argument] = model


def registered() -> dict[str, type]:
    return dict(_RECORDS)


def etag(record) -> str:
    """The record's entity tag (unquoted): its table, id and version."""
    return f"{record.__tablename__}-{record.id}-v{record.row_version}"


def _url_record():
    for argument, value in (request.view_args or {}).items():
        model = _RECORDS.get(argument)
        if model is not None and isinstance(value, int) and 1 <= value <= MAX_ID:
            return db.session.get(model, value)
    return None


def _check_precondition() -> None:
    if not request.path.startswith("/api/") or not current_user.is_authenticated:
        return
    if request.method in ("GET", "HEAD"):
        record = _url_record()
        g.etag = etag(record) if record is not None else None
        return
    if not request.headers.get("If-Match"):
        return
    record = _url_record()
    if record is None:
        return  # the view answers 404
    if not request.if_match.contains(etag(record)):
        raise PreconditionFailed(f"the {record.__tablename__} record {record.id} changed since you read it (its ETag "
                                 f"is now \"{etag(record)}\"): read it again before changing it")


def _answer_etag(response):
    tag = g.pop("etag", None)
    if tag and response.status_code == 200:
        response.set_etag(tag)
    return response


def init_app(app: Flask) -> None:
    app.before_request(_check_precondition)
    app.after_request(_answer_etag)
