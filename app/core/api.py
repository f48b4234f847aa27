"""The flask-smorest Api, with every error answered in the project's one shape and the project's fields documented."""

from flask_smorest import Api

from . import errors


class CellBankApi(Api):
    #: no catch-all "default" answer: every error an operation can give is documented by its status (openapi.py)
    DEFAULT_ERROR_RESPONSE_NAME = None

    def __init__(self, *args, **kwargs):
        from . import fields
        from .openapi import ErrorResponses

        spec_kwargs = kwargs.pop("spec_kwargs", None) or {}
        spec_kwargs["extra_plugins"] = [*spec_kwargs.get("extra_plugins", ()), ErrorResponses()]
        super().__init__(*args, spec_kwargs=spec_kwargs, **kwargs)
        fields.register(self)

    def init_app(self, app, *args, **kwargs):
        super().init_app(app, *args, **kwargs)
        from .openapi import document_security

        document_security(self.spec, app.config.get("SESSION_COOKIE_NAME", "session"))

    def handle_http_exception(self, error):
        return errors.handle_http_exception(error)
