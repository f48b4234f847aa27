"""The one permission table: the pages, the API and the operations refuse alike; menus and templates ask the table.

The whole route × role matrix is tests/test_permission_matrix.py; here are the disagreements that were, and the
places the table is asked from outside a route."""

import inspect
import re
import types
from pathlib import Path

import pytest
from werkzeug.local import LocalProxy

import audit
from app.core.errors import Forbidden
from app.core.permissions import PERMISSIONS, ROLES, required, roles_for
from app.extensions import db
from app.storage.models import Unit
from app.web.views import MENU
from tests.helpers import count_audit

TEMPLATES = Path(__file__).resolve().parent.parent / "app"
CAN = re.compile(r"\bcan(_open)?\(([^)]*)\)")


def _thawed(session, unit_id: int) -> bool:
    session.expire_all()
    return session.get(Unit, unit_id).state == "thawed"


def test_a_pharmacist_thaws_neither_through_the_page_nor_through_the_api(bank, released_units, make_user, session):
    """The thaw page let a pharmacist thaw a unit the API refused them."""
    make_user("pharm1", roles=["pharmacist"])
    unit = released_units[0]
    bank.as_user("pharm1")
    before = count_audit(session)
    page = bank.client.post("/thaw", data={"code": unit["barcode"]})
    assert page.status_code == 403 and b"this needs the role technician or qa" in page.data
    api = bank.client.post(f"/api/v1/units/{unit['id']}/thaw", json={})
    assert api.status_code == 403 and api.json["message"] == "this needs the role technician or qa"
    assert bank.client.get("/thaw").status_code == 403
    assert not _thawed(session, unit["id"]) and count_audit(session) == before


def test_the_thaw_operation_itself_refuses_a_pharmacist(app, bank, released_units, make_user, session):
    """Whoever calls it (a page, the API, a future adapter), the operation checks the actor against the table."""
    from app.auth.models import User
    from app.storage import handling

    pharmacist_id = make_user("pharm1", roles=["pharmacist"])
    with app.app_context():
        pharmacist = db.session.get(User, pharmacist_id)
        audit.set_actor(db.session, pharmacist.id, pharmacist.username, pharmacist.roles)
        with pytest.raises(Forbidden, match="technician or qa"):
            handling.thaw(db.session.get(Unit, released_units[0]["id"]), pharmacist)
        db.session.rollback()
    assert not _thawed(session, released_units[0]["id"])


def test_a_technician_still_thaws_through_the_page(bank, released_units, session):
    assert bank.client.post("/thaw", data={"code": released_units[0]["barcode"]}).status_code == 200  # confirm first
    assert not _thawed(session, released_units[0]["id"])
    assert bank.client.post("/thaw", data={"code": released_units[0]["barcode"], "confirmed": "yes"}).status_code == 302
    assert _thawed(session, released_units[0]["id"])


def test_templates_ask_the_table_by_action_or_page():
    """``can('technician', 'qa')`` repeated the roles in each template; a template names an action or a page."""
    from app import create_app
    from config import TestConfig

    app = create_app(TestConfig("sqlite://"))
    wrong = [f"menu entry {endpoint}" for endpoint, _ in MENU
             if endpoint not in app.view_functions or required(endpoint, "GET", app) is None]
    for template in sorted(TEMPLATES.glob("*/templates/**/*.html")):
        for number, line in enumerate(template.read_text().splitlines(), start=1):
            for opens, arguments in CAN.findall(line):
                if opens and arguments == "endpoint" and template.name == "base.html":
                    continue  # the main menu's loop over MENU, checked above
                names = [a.strip().strip("'\"") for a in arguments.split(",")]
                where = f"{template.relative_to(TEMPLATES)}:{number}: can{opens}({arguments})"
                if len(names) != 1 or not re.fullmatch(r"'[^']+'", arguments.strip()):
                    wrong.append(where)
                elif opens and (names[0] not in app.view_functions or required(names[0], "GET", app) is None):
                    wrong.append(where + " names no page with an action")
                elif not opens and names[0] not in PERMISSIONS:
                    wrong.append(where + " names no action of the table")
    assert not wrong, "templates that do not ask the permission table:\n" + "\n".join(wrong)


def _menu(page: str) -> set[str]:
    nav = page[page.index('<nav aria-label="Main">'):page.index("</nav>")]
    return set(re.findall(r'href="([^"]+)"', nav))


def test_each_role_sees_in_the_menu_exactly_the_pages_it_may_open(app, client, make_user, login):
    from flask import url_for

    with app.test_request_context():
        urls = {endpoint: url_for(endpoint) for endpoint, _ in MENU}
    for role in ROLES:
        make_user(f"menu-{role}", roles=[role])
        client.post("/api/v1/auth/logout")
        assert login(f"menu-{role}").status_code == 200
        shown = _menu(client.get("/dashboard").data.decode())
        for endpoint, url in urls.items():
            opens = client.get(url).status_code != 403
            assert (url in shown) == opens, f"{role}: menu entry {url} shown={url in shown}, page opens={opens}"
            assert opens == (role in roles_for(required(endpoint, "GET", app)))


def _names(code) -> set[str]:
    """Every global and attribute name a function's code (and the code nested in it) uses."""
    names = set(code.co_names)
    for constant in code.co_consts:
        if isinstance(constant, types.CodeType):
            names |= _names(constant)
    return names


def _operations_called(function, module: str, depth: int = 3) -> set:
    """The guarded operations a view (and the helpers of its own module it calls) may call."""
    function = inspect.unwrap(function)
    names, found = _names(function.__code__), set()
    for name in names & set(function.__globals__):
        value = function.__globals__[name]
        if isinstance(value, LocalProxy):
            continue
        if isinstance(value, types.ModuleType):
            candidates = [getattr(value, attribute, None) for attribute in names]
        elif isinstance(value, dict):
            candidates = list(value.values())
        else:
            candidates = [value]
        for candidate in candidates:
            if not isinstance(candidate, types.FunctionType):
                continue
            if hasattr(candidate, "guards"):
                found.add(candidate)
            elif candidate.__module__ == module and depth:
                found |= _operations_called(candidate, module, depth - 1)
    return found


def _route_handlers(app):
    """(route name, the action its changes need, the handler function) for every route of the URL map."""
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            handler = getattr(getattr(view, "view_class", None), method.lower(), view)
            writes = [m for m in sorted(rule.methods) if m not in ("GET", "HEAD", "OPTIONS")]
            action = required(rule.endpoint, writes[0] if writes and method == "GET" else method, app)
            yield f"{method} {rule.rule}", action, handler


def test_no_route_lets_a_role_through_that_its_operations_refuse_and_api_and_pages_agree():
    """The thaw page allowed a pharmacist the thaw operation's API refused: each operation names its action once,
    every route calling it allows exactly the roles of that action, through the API and the pages alike."""
    from app import create_app
    from config import TestConfig

    app = create_app(TestConfig("sqlite://"))
    wrong, callers = [], {}
    for route, action, handler in _route_handlers(app):
        for operation in _operations_called(handler, inspect.unwrap(handler).__module__):
            callers.setdefault(operation, []).append((route, action))
            if not set(roles_for(action)) <= set(roles_for(operation.guards)):
                wrong.append(f"{route} allows {action} {roles_for(action)}, but {operation.__module__}."
                             f"{operation.__name__} needs {operation.guards} {roles_for(operation.guards)}")
    for operation, routes in callers.items():
        if len({frozenset(roles_for(action)) for _, action in routes}) > 1:
            wrong.append(f"{operation.__module__}.{operation.__name__} is allowed to different roles by "
                         + ", ".join(f"{route} ({action})" for route, action in routes))
    assert len(callers) > 30  # the operations were found: most of them are called by a route
    assert not wrong, "routes that disagree with the operations they call:\n" + "\n".join(wrong)
