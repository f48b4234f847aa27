"""Who may do what: one table of actions and the roles allowed each, for the API, the pages, the menus and the
operations alike.

A route names its action with ``@requires(action)`` (per method where one page function answers GET and POST);
an operation names its action with ``@guarded(action)``, which checks the actor the audit trail will name (the
request's user; a shell command or the demo loader acts as the system and is trusted). Templates ask ``can(action)``
and ``can_open(endpoint)``. tests/test_permission_matrix.py sends every route of the URL map as every role and
checks the answer against this table; a route without an action fails it.
"""

from functools import wraps

from flask import current_app, request
from flask_babel import gettext as _
from flask_login import current_user

import audit
from app.extensions import db

from .errors import Forbidden, LoginRequired

ADMIN, TECHNICIAN, QA, PHARMACIST, CLINICIAN = "admin", "technician", "qa", "pharmacist", "clinician"
ROLES = (ADMIN, TECHNICIAN, QA, PHARMACIST, CLINICIAN)
#: nobody logged in: a pseudo-role, allowed only the public actions
ANONYMOUS = "anonymous"
#: every account holds at least one role (app.auth.operations refuses an empty set)
EVERYONE = ROLES
STAFF = (TECHNICIAN, QA)
HANDLERS = (TECHNICIAN, QA, PHARMACIST)

#: action -> the roles that may do it
PERMISSIONS: dict[str, tuple[str, ...]] = {
    "public": (ANONYMOUS, *EVERYONE),            # log in, the start page, the OpenAPI document, static files
    "account.own": EVERYONE,                     # one's own account: dashboard, password, tokens, logout
    "read": EVERYONE,                            # read the bank: every record, page, list and scan lookup
    "audit.read": (QA, ADMIN),
    "users.manage": (ADMIN,),                    # accounts, roles, deactivation, unlock, password reset
    "users.attest": (ADMIN, QA),                 # sign "access approved" / "access reviewed" on an account
    "signatures.sign": EVERYONE,                 # the generic endpoint; each record type names its signers below
    "donors.register": STAFF,
    "donors.screen": STAFF,                      # record a screening result
    "donors.eligibility": (QA,),                 # signed eligibility decision
    "donors.consent_withdrawal": (QA, CLINICIAN),
    "procurements.record": STAFF,
    "procurements.receive": STAFF,
    "materials.receive": STAFF,
    "materials.decide": (QA,),                   # signed approval or rejection
    "catalogue.manage": (ADMIN,),                # product codes
    "lots.create": STAFF,                        # tissue lots and derived lots
    "lots.steps": (TECHNICIAN,),                 # processing steps, recorded and closed by their operator
    "lots.quarantine": STAFF,
    "lots.expiry": STAFF,                        # set when a lot expires (before QA's decision; labels carry it)
    "lots.retire": (QA,),                        # mark a released lot expired
    "lots.release": (QA,),                       # signed release or rejection
    "deviations.open": EVERYONE,
    "deviations.close": (QA,),                   # signed closure
    "specifications.manage": (QA,),
    "qc.record": STAFF,                          # record and correct results
    "qc.verify": STAFF,                          # second-person verification
    "storage.configure": (ADMIN,),               # locations, tank templates, blocked positions
    "storage.move": STAFF,                       # whole boxes, evacuations
    "units.create": STAFF,                       # cryopreserve a lot into units
    "units.store": STAFF,                        # store, move, retrieve
    "units.thaw": STAFF,
    "units.destroy": STAFF,
    "shipments.dispatch": HANDLERS,
    "shipments.receive": HANDLERS,
    "temperature.record": STAFF,                 # readings typed or imported
    "excursions.assess": (QA,),                  # signed assessment of excursion flags
    "labels.design": (ADMIN, QA),                # label templates and their draft versions
    "labels.approve": (QA,),                     # signed approval of a template version
    "labels.print": STAFF,                       # print the labels of units, lots and boxes
    "printers.configure": (ADMIN,),              # Zebra printers: host, port, resolution, loaded stock
    "patients.manage": (CLINICIAN,),             # register trial subjects, enrol, complete, withdraw
    "patients.eligibility": (CLINICIAN,),        # signed eligibility checklist
    "patients.print": (CLINICIAN, PHARMACIST),   # the patient identifier label (wristband, prescription)
    "doses.order": (CLINICIAN,),                 # prescription: dose number, planned date, cells; window override
    "doses.allocate": (PHARMACIST, TECHNICIAN),  # reserve vials for a dose (first expiry first out)
    "doses.prepare": (TECHNICIAN,),              # post-thaw checks and filling the syringe
    "doses.print": (TECHNICIAN, PHARMACIST),     # the dose label
    "doses.dispense": (PHARMACIST,),             # two scans, then a signed hand-over to the ward
    "doses.administer": (CLINICIAN,),            # the intrathecal injection
    "doses.return": (PHARMACIST, CLINICIAN),     # an unused dose back to the pharmacy
    "doses.destroy": (PHARMACIST, TECHNICIAN),   # a dose that will not be given
    "recalls.open": (QA,),                       # signed recall of a donor, procurement, lot or material lot
    "recalls.dispose": STAFF,                    # record what was done with a recalled unit (scan)
    "recalls.close": (QA,),                      # signed closure once every unit is accounted for
    "biovigilance.record": (CLINICIAN,),         # record an adverse reaction or event (a serious one opens a case)
    "biovigilance.manage": (QA, CLINICIAN),      # the case list, the assessment (with a reason), signed submission
}

#: endpoints served by Flask and flask-smorest themselves, which carry no decorator of ours
BUILT_IN = {"static": "public", "web.static": "public", "api-docs.openapi_json": "public"}


def roles_for(action: str) -> tuple[str, ...]:
    try:
        return PERMISSIONS[action]
    except KeyError:
        raise KeyError(f"{action!r} is not an action of the permission table (app/core/permissions.py)") from None


def _allows(action: str, roles) -> bool:
    return bool(set(roles).intersection(roles_for(action)))


def _roles(user):
    return user.role_set if user.is_authenticated else (ANONYMOUS,)


def may(user, action: str) -> bool:
    """Whether this user (or the anonymous visitor) may do the action."""
    return _allows(action, _roles(user))


def _refuse(action: str, logged_in: bool) -> None:
    if not logged_in:
        raise LoginRequired()
    raise Forbidden(_("this needs the role %(roles_for)s", roles_for=' or '.join(roles_for(action))))


def check(action: str) -> None:
    """Refuse with 401 when nobody is logged in (pages redirect to the login) and 403 when the role is missing."""
    if not may(current_user, action):
        _refuse(action, current_user.is_authenticated)


def requires(action: str, **by_method: str):
    """Route decorator: the action of the route, or of one HTTP method (``POST="donors.register"``)."""
    for name in (action, *by_method.values()):
        roles_for(name)

    def decorator(view):
        @wraps(view)
        def checked(*args, **kwargs):
            check(by_method.get(request.method, action))
            return view(*args, **kwargs)

        checked.permission = {"*": action, **by_method}
        return checked

    return decorator


def required(endpoint: str, method: str, app=None) -> str | None:
    """The action an endpoint declares for an HTTP method, or None when it declares none."""
    if endpoint in BUILT_IN:
        return BUILT_IN[endpoint]
    view = (app or current_app).view_functions[endpoint]
    handler = getattr(getattr(view, "view_class", None), method.lower(), view)
    declared = getattr(handler, "permission", None)
    return None if declared is None else declared.get(method, declared["*"])


def check_actor(action: str) -> None:
    """Refuse unless the session's actor may do the action; a system actor (shell, demo loader) is trusted."""
    try:
        actor = audit.actor(db.session)
    except audit.AuditError:
        return  # nobody is named: the audit trail refuses the write itself
    if actor["actor_id"] is None and actor["actor_username"] != ANONYMOUS:
        return
    roles = actor["actor_roles"].split(",") if actor["actor_id"] is not None else (ANONYMOUS,)
    if not _allows(action, roles):
        _refuse(action, actor["actor_id"] is not None)


def guarded(action: str):
    """Operation decorator: the operation refuses an actor the table does not allow, whoever called it."""
    roles_for(action)

    def decorator(operation):
        @wraps(operation)
        def checked(*args, **kwargs):
            check_actor(action)
            return operation(*args, **kwargs)

        checked.guards = action
        return checked

    return decorator


def template_helpers() -> dict:
    """``can(action)`` and ``can_open(endpoint)`` for templates: the menus ask the same table as the routes."""
    roles = _roles(current_user)

    def can(action: str) -> bool:
        return _allows(action, roles)

    def can_open(endpoint: str) -> bool:
        action = required(endpoint, "GET")
        return action is not None and _allows(action, roles)

    return {"can": can, "can_open": can_open}
