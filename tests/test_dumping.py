"""A page's items are dumped field by field (app/core/dumping.py) exactly as marshmallow dumps them."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from marshmallow import Schema, fields, post_dump
from sqlalchemy import select

from app.core.dumping import Items
from app.core.fields import Decimal as DecimalField
from app.core.pagination import page_of
from app.storage.models import StorageLocation, Unit
from app.storage.schemas import LocationSchema, UnitSchema


class Inner(Schema):
    code = fields.String()


class Found(fields.String):
    """A field that finds its value itself (as the embedded signatures do)."""

    def get_value(self, obj, attr, accessor=None, default=None):
        return f"found for {attr}"


class Everything(Schema):
    id = fields.Integer()
    as_text = fields.Integer(as_string=True, attribute="number", dump_only=True)
    name = fields.String(data_key="label")
    flag = fields.Boolean()
    amount = DecimalField()
    at = fields.AwareDateTime()
    absent = fields.String()
    defaulted = fields.List(fields.String(), dump_default=list)
    computed = fields.Function(lambda obj: type(obj).__name__)
    dotted = fields.String(attribute="inner.code")
    inner = fields.Nested(Inner)
    hidden = fields.String(load_only=True)
    found = Found()


class Hooked(Schema):
    name = fields.String()

    @post_dump
    def mark(self, data, **kwargs):
        return {**data, "hooked": True}


def _marshmallow(schema_class, items) -> list:
    return fields.List(fields.Nested(schema_class)).serialize("items", {"items": items})


def _ours(schema_class, items) -> list:
    return Items(schema_class).serialize("items", {"items": items})


def _objects() -> list:
    at = dt.datetime(2026, 12, 4, 9, 30, tzinfo=dt.UTC)
    return [SimpleNamespace(id=7, number=12, name="lot", flag=True, amount=Decimal("2.50"), at=at,
                            inner=SimpleNamespace(code="A"), hidden="x"),
            SimpleNamespace(id=None, number=None, name=None, flag=False, amount=None, at=None, inner=None, hidden=None,
                            defaulted=["kept"]),
            SimpleNamespace(id=True, name="1", flag=1, amount=Decimal("1E+2"), at=at, inner=SimpleNamespace(code="B"))]


@pytest.mark.parametrize("schema_class", [Everything, Hooked, Inner])
def test_objects_and_mappings_are_dumped_as_marshmallow_dumps_them(schema_class):
    objects = [o for o in _objects() if schema_class is Everything or o.name is not None]
    items = objects + [vars(o) for o in objects]
    assert _ours(schema_class, items) == _marshmallow(schema_class, items)
    assert _ours(schema_class, None) is None and _ours(schema_class, []) == []


def test_models_and_rows_of_a_page_are_dumped_as_marshmallow_dumps_them(session, units, tank):
    models = session.scalars(select(Unit).order_by(Unit.id)).all()
    rows = session.execute(select(*Unit.__table__.columns).order_by(Unit.id)).all()
    assert models and _ours(UnitSchema, models) == _ours(UnitSchema, rows) == _marshmallow(UnitSchema, models)
    locations = session.scalars(select(StorageLocation).order_by(StorageLocation.id)).all()
    assert len(locations) > 3 and _ours(LocationSchema, locations) == _marshmallow(LocationSchema, locations)


def test_a_page_is_documented_as_a_list_of_its_items():
    items = page_of(UnitSchema)._declared_fields["items"]
    assert isinstance(items, fields.List) and isinstance(items.inner, fields.Nested)
    assert items.inner.nested is UnitSchema
