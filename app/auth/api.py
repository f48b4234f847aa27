"""Accounts API: login/logout, the current user, user administration and personal tokens."""

from flask.views import MethodView
from flask_login import current_user, logout_user
from flask_smorest import Blueprint
from sqlalchemy import select

from app.core import etags
from app.core.pagination import PageQuerySchema, page_of, paginate
from app.core.permissions import requires
from app.core.schemas import ReasonSchema

from . import credentials, operations, tokens
from .loading import start_session
from .models import ApiToken, User
from .schemas import (
    IssuedTokenSchema,
    LoginSchema,
    PasswordChangeSchema,
    PasswordResetSchema,
    RolesChangeSchema,
    TokenCreateSchema,
    TokenSchema,
    UserCreateSchema,
    UserSchema,
)

blp = Blueprint("auth_api", __name__, url_prefix="/api/v1", description="Login, users, roles and API tokens")
etags.register("token_id", ApiToken)
etags.register("user_id", User)


@blp.route("/auth/login")
class Login(MethodView):
    @requires("public")
    @blp.doc(security=[])
    @blp.arguments(LoginSchema)
    @blp.response(200, UserSchema)
    @blp.alt_response(401, description="wrong username or password, or a locked or deactivated account (one answer)")
    @blp.alt_response(429, description="too many failed logins for this account or from this address")
    def post(self, data):
        """Log in with username and password; answers the user and sets the session cookie."""
        user = credentials.login(data["username"], data["password"])
        start_session(user)
        return user


@blp.route("/auth/logout")
class Logout(MethodView):
    @requires("account.own")
    @blp.response(204)
    def post(self):
        """End the session on the server: its cookie is refused from now on."""
        credentials.logout(current_user)
        logout_user()


@blp.route("/me")
class Me(MethodView):
    @requires("account.own")
    @blp.response(200, UserSchema)
    def get(self):
        """The logged-in user."""
        return current_user


@blp.route("/me/password")
class MyPassword(MethodView):
    @requires("account.own")
    @blp.arguments(PasswordChangeSchema)
    @blp.response(204)
    def post(self, data):
        """Change your own password: the current one is checked again (a wrong one counts toward lockout).

        Every session of yours ends; this client gets a fresh one."""
        user = credentials.change_password(current_user, data["current_password"], data["new_password"])
        start_session(user)


@blp.route("/users/<int:user_id>/password")
class UserPassword(MethodView):
    @requires("users.manage")
    @blp.arguments(PasswordResetSchema)
    @blp.response(204)
    def post(self, data, user_id):
        """Set a new initial password for a user, with a reason; they must change it before anything else."""
        operations.reset_password(current_user, operations.get_user(user_id), data["password"], data["reason"])


@blp.route("/users")
class Users(MethodView):
    @requires("users.manage")
    @blp.arguments(PageQuerySchema, location="query")
    @blp.response(200, page_of(UserSchema))
    def get(self, query):
        """Every account, active or not (accounts are never deleted)."""
        return paginate(select(User).order_by(User.username), query)

    @requires("users.manage")
    @blp.arguments(UserCreateSchema)
    @blp.response(201, UserSchema)
    def post(self, data):
        """Create an account; its owner must change the initial password before anything else."""
        return operations.create_user(data["username"], data["full_name"], data["password"], data["roles"],
                                      must_change_password=True)


@blp.route("/users/<int:user_id>")
class UserById(MethodView):
    @requires("users.manage")
    @blp.response(200, UserSchema)
    def get(self, user_id):
        return operations.get_user(user_id)


@blp.route("/users/<int:user_id>/roles")
class UserRoles(MethodView):
    @requires("users.manage")
    @blp.arguments(RolesChangeSchema)
    @blp.response(200, UserSchema)
    def put(self, data, user_id):
        """Replace the user's roles; a reason is required."""
        return operations.set_roles(current_user, operations.get_user(user_id), data["roles"], data["reason"])


@blp.route("/users/<int:user_id>/deactivate")
class UserDeactivate(MethodView):
    @requires("users.manage")
    @blp.arguments(ReasonSchema)
    @blp.response(200, UserSchema)
    def post(self, data, user_id):
        return operations.deactivate(current_user, operations.get_user(user_id), data["reason"])


@blp.route("/users/<int:user_id>/activate")
class UserActivate(MethodView):
    @requires("users.manage")
    @blp.arguments(ReasonSchema)
    @blp.response(200, UserSchema)
    def post(self, data, user_id):
        return operations.activate(operations.get_user(user_id), data["reason"])


@blp.route("/users/<int:user_id>/unlock")
class UserUnlock(MethodView):
    @requires("users.manage")
    @blp.arguments(ReasonSchema)
    @blp.response(200, UserSchema)
    def post(self, data, user_id):
        return operations.unlock(operations.get_user(user_id), data["reason"])


@blp.route("/tokens")
class Tokens(MethodView):
    @requires("account.own")
    @blp.response(200, TokenSchema(many=True))
    def get(self):
        """Your own API tokens."""
        return current_user.tokens

    @requires("account.own")
    @blp.arguments(TokenCreateSchema)
    @blp.response(201, IssuedTokenSchema)
    def post(self, data):
        """Issue a personal Bearer token; the answer is the only time it is shown."""
        token, plain = tokens.issue_token(current_user, data["name"])
        return {"id": token.id, "name": token.name, "created_at": token.created_at, "token": plain}


@blp.route("/tokens/<int:token_id>/revoke")
class TokenRevoke(MethodView):
    @requires("account.own")
    @blp.arguments(ReasonSchema)
    @blp.response(200, TokenSchema)
    def post(self, data, token_id):
        return tokens.revoke_token(current_user, token_id, data["reason"])
