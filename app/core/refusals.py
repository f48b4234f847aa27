"""A page form refused by a rule (409/422) is shown again with what was typed and the rule in words.

The handler rolls the request back, matches the page the form was on (the same-origin Referer), and renders that page's
GET view inside the refused request with the answer's status: ``PageForm`` and the ``field`` macros take the typed
values and the field errors from ``kept_input()``. Passwords are never kept.
"""

from urllib.parse import urlsplit

from flask import current_app, g, request
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException

from . import transaction

#: statuses after which the form is worth showing again (a rule, an input problem or a scanned code that names
#: nothing; not a missing right)
REFUSALS = (404, 409, 412, 422)


def kept_input() -> dict | None:
    """The refused form's input while its page is drawn again: path, data (a MultiDict), errors, message."""
    return g.get("refused_form")


def _is_secret(name: str) -> bool:
    return name == "csrf_token" or "password" in name


def _page_of_form():
    """(view function, view arguments) of the same-origin page the form was submitted from, or None."""
    referrer = request.headers.get("Referer")
    if not referrer:
        return None
    parts = urlsplit(referrer)
    if parts.netloc and parts.netloc != request.host:
        return None
    try:
        endpoint, args = current_app.create_url_adapter(request).match(parts.path, method="GET")
    except HTTPException:
        return None
    return current_app.view_functions[endpoint], args


def _flat(errors: dict) -> dict:
    """Field name -> messages, whatever the nesting of a marshmallow or WTForms error dict."""
    flat = {}
    for key, value in errors.items():
        if isinstance(value, dict):
            flat.update(_flat(value))
        else:
            flat[key] = [str(item) for item in value] if isinstance(value, list | tuple) else [str(value)]
    return flat


def redisplay(status: int, message: str, errors: dict | None):
    """The refused form's page again, its input kept, with this status; None when there is no such page."""
    if request.method != "POST" or request.path.startswith("/api/") or status not in REFUSALS:
        return None
    page = _page_of_form()
    if page is None:
        return None
    transaction.rollback()
    view, args = page
    g.refused_form = {"path": request.path, "message": message, "errors": _flat(errors or {}),
                      "data": MultiDict([(k, v) for k, v in request.form.items(multi=True) if not _is_secret(k)])}
    request.method = "GET"  # the page's own view draws it; its POST half must not run again
    try:
        response = current_app.make_response(view(**args))
    except Exception:  # noqa: BLE001 (the page cannot be drawn: the plain error page answers instead)
        transaction.rollback()
        return None
    finally:
        request.method = "POST"
    if response.status_code != 200:
        return None
    response.status_code = status
    return response
