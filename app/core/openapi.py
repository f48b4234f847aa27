"""The error answers every operation can give, documented on the operation (each in the one error shape).

400 a body that is not valid JSON, 401 not logged in (or a wrong password where one is re-entered), 403 wrong
role, 404 an unknown record (named in the path or the body), 409 a rule of the domain or a database constraint
forbids it (or someone else changed the record meanwhile), 412 an If-Match that no longer matches the record named
in the path, 415 a body that is not JSON, 422 invalid input (DESIGN §6). flask-smorest documents the success
answer and the 422 of parsed arguments; this plugin adds the rest, so that a client knows from the document
alone what it must handle. There is no catch-all "default" answer (app/core/api.py).
"""

from apispec import BasePlugin

#: status → flask-smorest's registered response of that name
RESPONSES = {400: "BAD_REQUEST", 401: "UNAUTHORIZED", 403: "FORBIDDEN", 404: "NOT_FOUND", 409: "CONFLICT",
             412: "PRECONDITION_FAILED", 415: "UNSUPPORTED_MEDIA_TYPE", 422: "UNPROCESSABLE_ENTITY"}
WRITES = ("post", "put", "patch", "delete")


def error_statuses(path: str, method: str, operation: dict) -> list[int]:
    """The error statuses an operation of this API can answer."""
    statuses = [401, 403]
    writes = method in WRITES
    if "{" in path or writes:
        statuses.append(404)
    if writes:
        statuses += [400, 409, 415]
        if "{" in path:
            statuses.append(412)
    if writes or operation.get("parameters"):
        statuses.append(422)
    return statuses


def document_security(spec, cookie_name: str) -> None:
    """Every operation needs a personal Bearer token or the session cookie of a login, unless it says otherwise."""
    spec.components.security_scheme("bearerToken", {"type": "http", "scheme": "bearer",
                                                    "description": "a personal token from POST /api/v1/tokens"})
    spec.components.security_scheme("sessionCookie", {"type": "apiKey", "in": "cookie", "name": cookie_name,
                                                      "description": "set by POST /api/v1/auth/login"})
    spec.options["security"] = [{"bearerToken": []}, {"sessionCookie": []}]


class ErrorResponses(BasePlugin):
    """An apispec plugin adding the documented error answers to every operation."""

    def operation_helper(self, path=None, operations=None, **kwargs) -> None:
        for method, operation in (operations or {}).items():
            responses = operation.setdefault("responses", {})
            for status in error_statuses(path or "", method, operation):
                responses.setdefault(str(status), RESPONSES[status])
