"""What every request must be before a view reads it, for the API and the pages alike.

- The API takes JSON bodies only: any other body is refused with 415 (a browser can send text/plain across
  sites without asking; it cannot send application/json without a CORS preflight, which is never granted).
- A JSON body nested deeper than MAX_DEPTH is refused (422): the parser would otherwise exhaust its recursion.
- No string anywhere (query, form, JSON keys and values) holds a control character (tab and line breaks aside)
  or a lone surrogate (422): PostgreSQL cannot store NUL, and none of them means anything in a record.
"""

import json

from flask import request
from flask_babel import gettext as _
from werkzeug.exceptions import BadRequest, UnsupportedMediaType

from .errors import InvalidInput
from .validators import FORBIDDEN_CHARACTERS

#: deeper than any body of this API (a specification's tests are 3 levels)
MAX_DEPTH = 32
BODY_METHODS = ("POST", "PUT", "PATCH", "DELETE")


def _is_json(mimetype: str) -> bool:
    return mimetype == "application/json" or (mimetype.startswith("application/") and mimetype.endswith("+json"))


def _check_string(value: str, where: str) -> None:
    if found := FORBIDDEN_CHARACTERS.search(value):
        message = f"control character or lone surrogate U+{ord(found.group()):04X} is not allowed"
        raise InvalidInput(_("%(where)s: %(message)s", where=where, message=message), {where: [message]})


def _too_deep():
    raise InvalidInput(_("the JSON body is nested deeper than %(max_depth)s levels", max_depth=MAX_DEPTH),
                       {"json": [_("nested deeper than %(max_depth)s levels", max_depth=MAX_DEPTH)]})


def _walk(document, where: str) -> None:
    """Check every string of a parsed JSON document and its depth, without recursion."""
    stack = [(document, where, 1)]
    while stack:
        value, path, depth = stack.pop()
        if isinstance(value, dict | list) and depth > MAX_DEPTH:
            _too_deep()
        if isinstance(value, str):
            _check_string(value, path)
        elif isinstance(value, dict):
            for key, item in value.items():
                _check_string(key, f"{path}.{key!r}")
                stack.append((item, f"{path}.{key}", depth + 1))
        elif isinstance(value, list):
            stack.extend((item, f"{path}[{index}]", depth + 1) for index, item in enumerate(value))


def _check_json_body() -> None:
    raw = request.get_data(cache=True)
    if not raw and not request.mimetype:
        return
    if not _is_json(request.mimetype):
        raise UnsupportedMediaType(f"the API takes JSON bodies (Content-Type: application/json), not "
                                   f"{request.mimetype or 'a body without a content type'}")
    if not raw:
        return
    try:
        document = json.loads(raw)
    except RecursionError:
        _too_deep()
    except ValueError:
        raise BadRequest("the body is not valid JSON (UTF-8)") from None
    _walk(document, "json")


def check_request() -> None:
    """before_request: refuse what no view should ever see."""
    for name, value in request.args.items(multi=True):
        _check_string(name, "query")
        _check_string(value, f"query.{name}")
    if request.method not in BODY_METHODS:
        return
    if request.path.startswith("/api/"):
        _check_json_body()
        return
    for name, value in request.form.items(multi=True):
        _check_string(value, f"form.{name}")
