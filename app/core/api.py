"""The flask-smorest Api, with every error answered in the project's one shape."""

from flask_smorest import Api

from . import errors


class CellBankApi(Api):
    def handle_http_exception(self, error):
        return errors.handle_http_exception(error)
