"""Temperature monitoring API: readings (typed or imported from CSV), excursions, and QA closing their flags."""

from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.core import etags
from app.core.pagination import page_of, paginate
from app.core.permissions import requires
from app.signatures.operations import preload_signatures
from app.storage.locations import get_location

from . import csvimport, operations
from .models import Excursion, ExcursionFlag, TemperatureReading
from .schemas import (
    CsvImportSchema,
    ExcursionQuerySchema,
    ExcursionSchema,
    FlagCloseSchema,
    FlagQuerySchema,
    FlagSchema,
    ImportResultSchema,
    ReadingCreateSchema,
    ReadingQuerySchema,
    ReadingSchema,
)

blp = Blueprint("monitoring_api", __name__, url_prefix="/api/v1", description="Temperature readings and excursions")
etags.register("excursion_id", Excursion)
etags.register("flag_id", ExcursionFlag)


@blp.route("/temperature-readings")
class Readings(MethodView):
    @requires("read")
    @blp.arguments(ReadingQuerySchema, location="query")
    @blp.response(200, page_of(ReadingSchema))
    def get(self, query):
        """Readings in time order, filtered by storage unit and time, a page at a time."""
        statement = select(TemperatureReading).order_by(TemperatureReading.measured_at, TemperatureReading.id)
        if query["storage_unit_id"] is not None:
            statement = statement.where(TemperatureReading.storage_unit_id == query["storage_unit_id"])
        if query["since"] is not None:
            statement = statement.where(TemperatureReading.measured_at >= query["since"])
        if query["until"] is not None:
            statement = statement.where(TemperatureReading.measured_at < query["until"])
        return paginate(statement, query)

    @requires("temperature.record")
    @blp.arguments(ReadingCreateSchema)
    @blp.response(201, ReadingSchema)
    def post(self, data):
        """Record a reading typed by hand; out of range it opens or widens an excursion, back in range it ends it."""
        storage_unit = get_location(data["storage_unit_id"])
        reading, _ = operations.record_reading(storage_unit, data["measured_at"], data["value_c"], current_user)
        return reading


@blp.route("/temperature-readings/import")
class ReadingsImport(MethodView):
    @requires("temperature.record")
    @blp.arguments(CsvImportSchema)
    @blp.response(201, ImportResultSchema)
    def post(self, data):
        """Import a monitor's CSV export sent as JSON {"csv": "<file text>"}; any bad line refuses the whole file."""
        return csvimport.import_csv(data["csv"], current_user)


@blp.route("/excursions")
class Excursions(MethodView):
    @requires("read")
    @blp.arguments(ExcursionQuerySchema, location="query")
    @blp.response(200, page_of(ExcursionSchema))
    def get(self, query):
        """Excursions, newest first, each with its flags."""
        statement = select(Excursion).options(selectinload(Excursion.flags)).order_by(Excursion.started_at.desc(),
                                                                                      Excursion.id.desc())
        if query["storage_unit_id"] is not None:
            statement = statement.where(Excursion.storage_unit_id == query["storage_unit_id"])
        if query["open"] is not None:
            statement = statement.where(Excursion.ended_at.is_(None) if query["open"]
                                        else Excursion.ended_at.is_not(None))
        return paginate(statement, query, lambda excursions: preload_signatures(f for e in excursions for f in e.flags))


@blp.route("/excursions/<int:excursion_id>")
class ExcursionById(MethodView):
    @requires("read")
    @blp.response(200, ExcursionSchema)
    def get(self, excursion_id):
        return operations.get_excursion(excursion_id)


@blp.route("/excursions/<int:excursion_id>/assess")
class ExcursionAssess(MethodView):
    @requires("excursions.assess")
    @blp.arguments(FlagCloseSchema)
    @blp.response(200, ExcursionSchema)
    def post(self, data, excursion_id):
        """QA closes every open flag of an ended excursion with one assessment; a signature per flag, one password."""
        excursion = operations.get_excursion(excursion_id)
        operations.close_open_flags(excursion, current_user, data["password"], data["assessment"])
        return excursion


@blp.route("/excursion-flags")
class Flags(MethodView):
    @requires("read")
    @blp.arguments(FlagQuerySchema, location="query")
    @blp.response(200, page_of(FlagSchema))
    def get(self, query):
        """Flags, oldest first, filtered by unit and by whether QA closed them."""
        statement = select(ExcursionFlag).order_by(ExcursionFlag.id)
        if query["unit_id"] is not None:
            statement = statement.where(ExcursionFlag.unit_id == query["unit_id"])
        if query["open"] is not None:
            statement = statement.where(ExcursionFlag.closed_at.is_(None) if query["open"]
                                        else ExcursionFlag.closed_at.is_not(None))
        return paginate(statement, query, preload_signatures)


@blp.route("/excursion-flags/<int:flag_id>/close")
class FlagClose(MethodView):
    @requires("excursions.assess")
    @blp.arguments(FlagCloseSchema)
    @blp.response(200, FlagSchema)
    def post(self, data, flag_id):
        """QA closes a flag with its assessment and an e-signature (password re-entered), once the excursion ended."""
        return operations.close_flag(operations.get_flag(flag_id), current_user, data["password"], data["assessment"])
