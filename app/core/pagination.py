"""Lists in pages: ``page`` and ``per_page`` in the query string, ``items``, ``page``, ``per_page`` and ``total`` in
the answer; a list never stops silently (flask-smorest's own pagination carries these in an X-Pagination header;
ours are in the body, where every client sees them)."""

from flask import request, url_for
from flask_babel import gettext as _
from marshmallow import EXCLUDE, Schema, ValidationError, fields
from sqlalchemy import func, select

from app.extensions import db

from .dumping import Items
from .errors import InvalidInput
from .fields import QueryInteger

#: the largest page a client may ask for (documented in the OpenAPI description of per_page)
MAX_PER_PAGE = 200
DEFAULT_PER_PAGE = 50
#: far beyond any bank, and offset * per_page stays inside a 64-bit integer
MAX_PAGE = 10**9
#: from this many rows skipped, a page finds its ids first (from an index) and then reads only its own rows
DEEP_OFFSET = 1_000


class PageQuerySchema(Schema):
    """Which page of a list: the query string of every list."""

    page = QueryInteger(1, MAX_PAGE, load_default=1, metadata={"description": "from 1"})
    per_page = QueryInteger(1, MAX_PER_PAGE, load_default=DEFAULT_PER_PAGE,
                            metadata={"description": f"items per page, at most {MAX_PER_PAGE}"})


_PAGE_SCHEMAS: dict[type, type] = {}


def page_of(item_schema: type) -> type:
    """The schema of a page of item_schema: items, page, per_page, total."""
    if item_schema not in _PAGE_SCHEMAS:
        name = item_schema.__name__.removesuffix("Schema") + "PageSchema"
        _PAGE_SCHEMAS[item_schema] = type(name, (Schema,), {
            "items": Items(item_schema),
            "page": fields.Integer(), "per_page": fields.Integer(),
            "total": fields.Integer(metadata={"description": "items in the whole list, every page"})})
    return _PAGE_SCHEMAS[item_schema]


def paginate(statement, query: dict, prepare=None) -> dict:
    """One page of an ordered SELECT of models, with the size of the whole list; prepare(items), if given, reads
    what the page's items show in bulk (their signatures)."""
    page, per_page = query["page"], query["per_page"]
    total = db.session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
    items = db.session.scalars(_page(statement, per_page, (page - 1) * per_page)).all()
    if prepare is not None:
        prepare(items)
    return {"items": items, "page": page, "per_page": per_page, "total": total}


def _page(statement, limit: int, offset: int):
    """The SELECT of one page. Deep in a long list, skipping whole rows costs more than the page itself: the ids
    are skipped instead (a narrow index) and only the page's rows are read."""
    if offset < DEEP_OFFSET:
        return statement.limit(limit).offset(offset)
    key = statement.column_descriptions[0]["entity"].id
    ids = statement.with_only_columns(key, maintain_column_froms=True).limit(limit).offset(offset)
    return statement.where(key.in_(ids.scalar_subquery()))


def paginate_list(items: list, query: dict) -> dict:
    """One page of a list already in memory (a record's own short lists)."""
    page, per_page = query["page"], query["per_page"]
    start = (page - 1) * per_page
    return {"items": items[start:start + per_page], "page": page, "per_page": per_page, "total": len(items)}


def page_args(schema_class: type = PageQuerySchema) -> dict:
    """A list page's page and filters, read from its query string with the API's own schema (an empty filter is no
    filter); a bad one is refused (422) in words."""
    given = {name: value for name, value in request.args.items() if value.strip()}
    try:
        return schema_class(unknown=EXCLUDE).load(given)
    except ValidationError as error:
        raise InvalidInput(_("this list cannot be shown with these filters: %(problems)s", problems="; ".join(
            f"{name}: {' '.join(map(str, problems))}" for name, problems in error.messages.items())),
            error.messages) from None


def page_url(number: int) -> str:
    """This list page at another page number, its filters kept (a template global)."""
    return url_for(request.endpoint, **(request.view_args or {}), **{**request.args.to_dict(), "page": number})
