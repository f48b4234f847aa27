"""Pages: QC results entered, corrected and verified from the lot page; specifications (QA)."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.core.errors import InvalidInput
from app.core.forms import PageForm, submitted, validated
from app.core.permissions import requires
from app.extensions import db
from app.lots.models import KINDS, Deviation
from app.lots.operations import get_lot

from . import operations
from .models import Specification, SpecTest
from .schemas import QcCorrectionSchema, QcResultCreateSchema, SpecificationCreateSchema
from .units import UNITS

bp = Blueprint("qc", __name__, template_folder="templates")


@bp.app_template_global("qc_tests_for")
def qc_tests_for(lot) -> list[SpecTest]:
    """The tests a lot's results are entered against: its fixed specification, else its kind's current one."""
    spec_id = lot.specification_id
    if spec_id is None:
        current = operations.current_specification(lot.kind)
        spec_id = current.id if current else None
    if spec_id is None:
        return []
    return db.session.scalars(select(SpecTest).where(SpecTest.specification_id == spec_id)
                              .order_by(SpecTest.id)).all()


@bp.app_template_filter("qc_choice")
def qc_choice(code: str, tests: list[SpecTest]) -> tuple[str, str]:
    test = next(test for test in tests if test.code == code)
    return code, f"{code} ({test.criterion()})"


@bp.app_template_global("qc_units")
def qc_units() -> list[tuple[str, str]]:
    return [("", "—"), *((unit, unit) for unit in UNITS)]


@bp.app_template_global("oos_deviation")
def oos_deviation(result_id: int) -> Deviation | None:
    """The deviation an out-of-specification result opened."""
    return db.session.scalar(select(Deviation).where(Deviation.qc_result_id == result_id))


@bp.route("/lots/<int:lot_id>/qc-results", methods=["POST"])
@requires("qc.record")
def record(lot_id: int):
    result = operations.record_result(get_lot(lot_id), current_user,
                                      submitted(QcResultCreateSchema(), ("performed_at",)))
    _announce(result, _("recorded"))
    return redirect(url_for("lots.lot", lot_id=lot_id, _anchor=f"qc-{result.id}"))


@bp.route("/qc-results/<int:result_id>/correct", methods=["POST"])
@requires("qc.record")
def correct(result_id: int):
    result = operations.correct_result(operations.get_result(result_id), current_user,
                                       submitted(QcCorrectionSchema(), ("performed_at",)))
    _announce(result, _("corrected"))
    return redirect(url_for("lots.lot", lot_id=result.lot_id, _anchor=f"qc-{result.id}"))


def _announce(result, done: str) -> None:
    if result.outcome == "oos":
        deviation = oos_deviation(result.id)
        flash(_("Result %(code)s %(done)s: OUT OF SPECIFICATION; deviation %(id)s opened.", code=result.spec_test.code,
                done=done, id=deviation.id),
              "error")
    else:
        flash(_("Result %(code)s %(done)s: %(outcome)s.", code=result.spec_test.code, done=done,
                outcome=result.outcome), "success")


@bp.route("/qc-results/<int:result_id>/verify", methods=["POST"])
@requires("qc.verify")
def verify(result_id: int):
    validated(PageForm())
    result = operations.verify_result(operations.get_result(result_id), current_user)
    flash(_("Result %(code)s verified.", code=result.spec_test.code), "success")
    return redirect(url_for("lots.lot", lot_id=result.lot_id))


#: one test a line: code | name | numeric | unit | lower | upper   or   code | name | qualitative | expected
TEST_LINE = "code | name | numeric | unit | lower | upper, or code | name | qualitative | expected"


def _tests_from_form() -> list[dict]:
    """The specification's tests typed one a line (the schema checks each field)."""
    tests = []
    for number, line in enumerate(request.form.get("tests", "").splitlines(), start=1):
        if not line.strip():
            continue
        cells = [cell.strip() for cell in line.split("|")]
        if len(cells) < 3 or cells[2] not in ("numeric", "qualitative"):
            raise InvalidInput(_("tests, line %(number)s: write %(test_line)s", number=number, test_line=TEST_LINE),
                               {"tests": [_("line %(number)s: %(test_line)s", number=number, test_line=TEST_LINE)]})
        test = {"code": cells[0], "name": cells[1], "kind": cells[2]}
        if cells[2] == "numeric":
            test.update({key: value for key, value in zip(("unit", "lower", "upper"), cells[3:6], strict=False)
                         if value})
        elif len(cells) > 3:
            test["expected"] = cells[3]
        tests.append(test)
    return tests


@bp.route("/specifications", methods=["GET", "POST"])
@requires("read", POST="specifications.manage")
def specifications():
    if request.method == "POST":
        data = submitted(SpecificationCreateSchema(), tests=_tests_from_form())
        spec = operations.create_specification(data["lot_kind"], data["name"], data["tests"])
        flash(_("Specification %(name)s v%(version)s is current for %(lot_kind)s lots.", name=spec.name,
                version=spec.version, lot_kind=spec.lot_kind), "success")
        return redirect(url_for("qc.specifications"))
    specs = db.session.scalars(select(Specification).order_by(Specification.lot_kind, Specification.version)).all()
    return render_template("qc/specifications.html", specifications=specs,
                           kinds=[(kind, kind.replace("_", " ")) for kind in KINDS], test_line=TEST_LINE)
