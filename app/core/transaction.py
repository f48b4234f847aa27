"""The one transaction boundary: a request or command commits all its changes and their audit
entries, or nothing.

Operations flush and never commit. A refusal may still need to keep a record of itself (a wrong
password counts toward lockout): the operation registers that bookkeeping with ``on_rollback``;
it runs in a fresh transaction after everything else was rolled back.

A commit that fails (a constraint the database checks at commit) is answered by the error handler of its
exception, as if the view had raised it (an IntegrityError becomes the 409 of app/core/integrity.py).
"""

from collections.abc import Callable
from contextlib import contextmanager

from flask import Flask, current_app

from app.extensions import db


def on_rollback(callback: Callable[[], None]) -> None:
    """Run callback in a new transaction if the current one is rolled back."""
    db.session.info.setdefault("on_rollback", []).append(callback)


def commit() -> None:
    db.session.info.pop("on_rollback", None)
    db.session.commit()


def rollback() -> None:
    """Roll everything back, then commit only the registered bookkeeping."""
    callbacks = db.session.info.pop("on_rollback", [])
    db.session.rollback()
    if callbacks:
        for callback in callbacks:
            callback()
        db.session.commit()


@contextmanager
def unit_of_work():
    """Boundary for CLI commands and scripts."""
    try:
        yield
    except BaseException:
        rollback()
        raise
    commit()


def _finish_request(response):
    if response.status_code >= 400:
        rollback()
        return response
    try:
        commit()
    except Exception as error:  # noqa: BLE001 (answered by its error handler, e.g. IntegrityError -> 409, or re-raised)
        rollback()
        return current_app.make_response(current_app.handle_user_exception(error))
    return response


def init_app(app: Flask) -> None:
    app.after_request(_finish_request)
