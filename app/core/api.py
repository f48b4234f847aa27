"""The flask-smorest Api, with every error answered in the project's one shape and the project's fields documented."""

from flask_smorest import Api

from . import errors


class CellBankApi(Api):
    def __init__(self, *args, **kwargs):
        from . import fields

        super().__init__(*args, **kwargs)
        fields.register(self)

    def handle_http_exception(self, error):
        return errors.handle_http_exception(error)
