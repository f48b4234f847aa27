"""The label of one record as a file (a recorded print) or a PNG preview, and the A4 documents of lots and units.

``GET …/label.pdf`` and ``…/label.zpl`` print: each answer is recorded as a print job of one record (the second
and later need ``?reason=``, as any reprint). ``…/label.png`` only shows the label and records nothing.
"""

from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from app.core import etags
from app.core.permissions import requires
from app.lots.operations import get_lot
from app.storage.models import StorageLocation
from app.storage.operations import get_unit

from . import operations
from .api import BINARY, JOB_HEADER, file_response
from .coa import certificate_of_analysis
from .custody_report import custody_report
from .schemas import LabelFileQuerySchema, PreviewQuerySchema, ZplFileQuerySchema

blp = Blueprint("label_files_api", __name__, url_prefix="/api/v1",
                description="Labels of units, lots and boxes as files and previews; certificates and custody reports")
etags.register("box_id", StorageLocation)
REFUSED = "no approved template, a record that cannot be labelled, or a reprint without a reason"


def _print(record_type: str, record_id: int, output: str, query: dict):
    printed = operations.print_labels(record_type, [record_id], current_user, output, query["copies"],
                                      dpi=query.get("dpi") if output == "zpl" else None,
                                      template_id=query["template_id"], reason=query["reason"])
    return file_response(printed.content, printed.media_type, printed.filename, printed.job)


def _preview(record_type: str, record_id: int, query: dict):
    return file_response(operations.preview(record_type, record_id, query["template_id"], query["dpi"]), "image/png")


def label_routes(record_type: str, path: str, argument: str, action: str = "labels.print") -> None:
    """label.pdf, label.zpl and label.png of one record type, printed by those the action allows."""

    class Pdf(MethodView):
        @requires(action)
        @blp.arguments(LabelFileQuerySchema, location="query")
        @blp.response(200, BINARY, content_type="application/pdf", description="the label, printed and recorded",
                      headers=JOB_HEADER)
        @blp.alt_response(409, schema="Error", description=REFUSED)
        def get(self, query, **ids):
            return _print(record_type, ids[argument], "pdf", query)

    class Zpl(MethodView):
        @requires(action)
        @blp.arguments(ZplFileQuerySchema, location="query")
        @blp.response(200, BINARY, content_type="application/zpl", description="the label as ZPL, printed and "
                                                                               "recorded", headers=JOB_HEADER)
        @blp.alt_response(409, schema="Error", description=REFUSED)
        def get(self, query, **ids):
            return _print(record_type, ids[argument], "zpl", query)

    class Png(MethodView):
        @requires("read")
        @blp.arguments(PreviewQuerySchema, location="query")
        @blp.response(200, BINARY, content_type="image/png", description="a preview: nothing is printed")
        @blp.alt_response(409, schema="Error", description="no approved template, or a record that cannot be labelled")
        def get(self, query, **ids):
            return _preview(record_type, ids[argument], query)

    for view, suffix, what in ((Pdf, "pdf", "print as PDF"), (Zpl, "zpl", "print as ZPL"), (Png, "png", "preview")):
        view.get.__doc__ = f"The {record_type}'s label: {what}."
        blp.add_url_rule(f"{path}/label.{suffix}", endpoint=f"{record_type}_label_{suffix}", view_func=view)


label_routes("unit", "/units/<int:unit_id>", "unit_id")
label_routes("lot", "/lots/<int:lot_id>", "lot_id")
label_routes("box", "/boxes/<int:box_id>", "box_id")


@blp.route("/lots/<int:lot_id>/coa.pdf")
class CertificateOfAnalysis(MethodView):
    @requires("read")
    @blp.response(200, BINARY, content_type="application/pdf", description="the certificate, A4")
    @blp.alt_response(409, schema="Error", description="the lot is not released")
    def get(self, lot_id):
        """The certificate of analysis of a released lot: identity, genealogy, every test, the release signature."""
        lot = get_lot(lot_id)
        return file_response(certificate_of_analysis(lot), "application/pdf", f"coa-{lot.number}.pdf")


@blp.route("/units/<int:unit_id>/custody.pdf")
class CustodyReport(MethodView):
    @requires("read")
    @blp.response(200, BINARY, content_type="application/pdf", description="the report, A4")
    def get(self, unit_id):
        """The unit's custody report: every event with who, where, when and how identity was confirmed."""
        unit = get_unit(unit_id)
        return file_response(custody_report(unit), "application/pdf", f"custody-{unit.barcode}.pdf")
