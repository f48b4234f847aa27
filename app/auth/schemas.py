"""Marshmallow schemas of the accounts API."""

from marshmallow import Schema, fields, validate

from app.core.fields import Text
from app.core.permissions import ROLES
from app.core.schemas import ReasonSchema


class LoginSchema(Schema):
    username = Text(80, required=True)
    password = fields.String(required=True, load_only=True, validate=validate.Length(min=1, max=1024))


class UserSchema(Schema):
    id = fields.Integer(dump_only=True)
    username = fields.String(dump_only=True)
    full_name = fields.String(dump_only=True)
    roles = fields.Method("role_list", dump_only=True)
    active = fields.Boolean(dump_only=True)
    locked = fields.Boolean(dump_only=True)
    must_change_password = fields.Boolean(dump_only=True, metadata={
        "description": "an administrator set the password: nothing but changing it is allowed until then"})
    failed_logins = fields.Integer(dump_only=True)
    last_login_at = fields.AwareDateTime(dump_only=True, allow_none=True)
    created_at = fields.AwareDateTime(dump_only=True)

    def role_list(self, user) -> list[str]:
        return sorted(user.role_set)


class RoleList(fields.List):
    def __init__(self, **kwargs):
        super().__init__(fields.String(validate=validate.OneOf(ROLES)), validate=validate.Length(min=1), **kwargs)


class UserCreateSchema(Schema):
    username = fields.String(required=True, validate=validate.Regexp(r"^[A-Za-z][A-Za-z0-9_.-]{1,79}$",
                             error="letters, digits, '.', '_' or '-', starting with a letter"))
    full_name = Text(200, required=True)
    password = fields.String(required=True, load_only=True, validate=validate.Length(min=12, max=1024))
    roles = RoleList(required=True)


class RolesChangeSchema(ReasonSchema):
    roles = RoleList(required=True)


class TokenCreateSchema(Schema):
    name = Text(100, required=True)


class TokenSchema(Schema):
    id = fields.Integer(dump_only=True)
    name = fields.String(dump_only=True)
    created_at = fields.AwareDateTime(dump_only=True)
    revoked_at = fields.AwareDateTime(dump_only=True, allow_none=True)


class IssuedTokenSchema(TokenSchema):
    token = fields.String(dump_only=True, metadata={"description": "shown once; store it safely"})


class PasswordChangeSchema(Schema):
    current_password = fields.String(required=True, load_only=True, validate=validate.Length(min=1, max=1024))
    new_password = fields.String(required=True, load_only=True, validate=validate.Length(max=1024))


class PasswordResetSchema(ReasonSchema):
    password = fields.String(required=True, load_only=True, validate=validate.Length(max=1024))
