"""Pages: donors (with screening and eligibility) and procurements (DIN with its boxed check character)."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import text
from sqlalchemy.orm import selectinload
from wtforms import DateField, DateTimeLocalField, SelectField, StringField
from wtforms.validators import DataRequired

from app.core import validators
from app.core.forms import DecimalNumberField, PageForm, Rule, SignatureForm, submitted, validated
from app.core.pagination import page_args, paginate
from app.core.permissions import requires
from app.core.schemas import ReasonSchema
from app.core.timezones import site_time
from app.extensions import db
from app.signatures.operations import signatures_for
from labels.isbt128 import check_character

from . import operations
from .listing import filtered_donors
from .models import ELIGIBILITY, MARKERS, METHODS, RESULTS, Donor
from .schemas import DonorQuerySchema, ProcurementCreateSchema

bp = Blueprint("donors", __name__, template_folder="templates")


class DonorForm(PageForm):
    code = StringField(_l("Pseudonymous code"), validators=[DataRequired(), Rule(validators.pseudonymous_code)])
    consent_date = DateField(_l("Consent date"), validators=[DataRequired(), Rule(validators.past_date)])
    consent_scope = StringField(_l("Consent scope"), validators=[DataRequired(), Rule(validators.text, 500, 3)])


class ScreeningForm(PageForm):
    marker = SelectField(_l("Marker"), choices=list(MARKERS))
    method = SelectField(_l("Method"), choices=list(METHODS))
    sample_date = DateField(_l("Sample date"), validators=[DataRequired(), Rule(validators.past_date)])
    result = SelectField(_l("Result"), choices=list(RESULTS))


class ReceiptForm(PageForm):
    received_at = DateTimeLocalField(_l("Received at (site time)"), validators=[DataRequired()])
    temperature_c = DecimalNumberField(_l("Temperature on receipt (°C)"), places=1, validators=[DataRequired()])


@bp.app_template_filter("din_check")
def din_check(din: str) -> str:
    return check_character(din)


@bp.route("/donors", methods=["GET", "POST"])
@requires("read", POST="donors.register")
def donors():
    form = DonorForm()
    if form.is_submitted():
        validated(form)
        donor = operations.create_donor(form.code.data, form.consent_date.data, form.consent_scope.data)
        return redirect(url_for("donors.donor", donor_id=donor.id))
    query = page_args(DonorQuerySchema)
    page = paginate(filtered_donors(query).options(selectinload(Donor.procurements)), query)
    return render_template("donors/list.html", page=page, eligibility=ELIGIBILITY.states, form=form)


@bp.route("/donors/<int:donor_id>")
@requires("read")
def donor(donor_id: int):
    record = operations.get_donor(donor_id)
    return render_template("donors/donor.html", donor=record, unmet=operations.eligibility_problems(record),
                           screening_form=ScreeningForm(), sign_form=SignatureForm(),
                           signatures=signatures_for(record))


@bp.route("/donors/<int:donor_id>/screening-tests", methods=["POST"])
@requires("donors.screen")
def add_screening(donor_id: int):
    form = validated(ScreeningForm())
    operations.add_screening_test(operations.get_donor(donor_id), form.marker.data, form.method.data,
                                  form.sample_date.data, form.result.data)
    flash(_("Screening result recorded."), "success")
    return redirect(url_for("donors.donor", donor_id=donor_id))


@bp.route("/donors/<int:donor_id>/eligibility/<any(eligible, ineligible):decision>", methods=["POST"])
@requires("donors.eligibility")
def decide(donor_id: int, decision: str):
    form = validated(SignatureForm())
    operations.decide_eligibility(operations.get_donor(donor_id), current_user, form.password.data,
                                  f"donor {decision}", form.reason.data or None)
    flash(_("Signed: donor %(decision)s.", decision=decision), "success")
    return redirect(url_for("donors.donor", donor_id=donor_id))


@bp.route("/donors/<int:donor_id>/procurements", methods=["POST"])
@requires("procurements.record")
def record_procurement(donor_id: int):
    donor = operations.get_donor(donor_id)
    data = submitted(ProcurementCreateSchema(), ("collected_at",), donor_id=donor.id)
    data.pop("donor_id")
    procurement = operations.create_procurement(donor, current_user, data)
    flash(_("Procurement recorded: DIN %(din)s %(check_character)s.", din=procurement.din,
            check_character=check_character(procurement.din)), "success")
    return redirect(url_for("donors.procurement", procurement_id=procurement.id))


@bp.route("/donors/<int:donor_id>/consent-withdrawal", methods=["POST"])
@requires("donors.consent_withdrawal")
def withdraw_consent(donor_id: int):
    operations.withdraw_consent(operations.get_donor(donor_id), submitted(ReasonSchema())["reason"])
    flash(_("Withdrawal of consent recorded: no further processing or release of this donor's material."), "success")
    return redirect(url_for("donors.donor", donor_id=donor_id))


@bp.route("/procurements/<int:procurement_id>", methods=["GET", "POST"])
@requires("read", POST="procurements.receive")
def procurement(procurement_id: int):
    record = operations.get_procurement(procurement_id)
    form = ReceiptForm()
    if form.is_submitted():
        validated(form)
        operations.receive_procurement(record, current_user, site_time(form.received_at.data),
                                       form.temperature_c.data)
        flash(_("Receipt recorded."), "success")
        return redirect(url_for("donors.procurement", procurement_id=procurement_id))
    return render_template("donors/procurement.html", procurement=record, form=form, product_codes=tissue_codes())


def tissue_codes() -> list[tuple[str, str]]:
    """The active product codes of tissue lots, for the tissue lot form (read by name: donors sit below lots)."""
    rows = db.session.execute(text("SELECT code, description FROM product_codes WHERE active AND lot_kind = 'tissue' "
                                   "ORDER BY code")).all()
    return [(code, f"{code} {description}") for code, description in rows]
