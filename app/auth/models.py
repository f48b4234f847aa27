"""Users, their server-side sessions and personal API tokens. Users are never deleted, only deactivated."""

import datetime as dt

from flask_babel import gettext as _
from flask_login import UserMixin
from sqlalchemy import BigInteger, Boolean, ForeignKey, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.types import UTCDateTime, utcnow
from app.core.versioning import Versioned
from app.extensions import db


class User(UserMixin, Versioned, db.Model):
    __tablename__ = "users"
    __audited__ = True
    __audit_redact__ = {"password_hash"}

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: login name, lower case, unique forever
    username: Mapped[str] = mapped_column(String(80), unique=True)
    #: printed name shown on e-signatures
    full_name: Mapped[str] = mapped_column(String(200))
    #: comma-separated, sorted role names
    roles: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    #: set when an administrator chose the password; its owner must change it before doing anything else
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: the user's language for pages and messages (config.LOCALES); none: the site's (CELLBANK_LOCALE)
    locale: Mapped[str | None] = mapped_column(String(5), nullable=True)

    tokens: Mapped[list["ApiToken"]] = relationship(back_populates="user", order_by="ApiToken.id")

    #: attestations about an account that decide nothing: signed through POST /api/v1/signatures
    __attestations__ = ("access approved", "access reviewed")
    __decisions__: dict[str, str] = {}
    __signer_permission__ = "users.attest"

    @property
    def role_set(self) -> set[str]:
        return set(self.roles.split(",")) if self.roles else set()

    def has_any_role(self, roles) -> bool:
        return bool(self.role_set.intersection(roles))

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def locked(self) -> bool:
        return self.locked_at is not None

    def signer_conflict(self, signer) -> str | None:
        """Why this signer may not sign about this account: nobody approves or reviews their own."""
        return _("nobody signs an approval or review of their own account") if signer.id == self.id else None

    def signed_content(self) -> dict:
        """What a signature on this account vouches for."""
        return {"username": self.username, "full_name": self.full_name, "roles": self.roles, "active": self.active}


class ApiToken(Versioned, db.Model):
    __tablename__ = "api_tokens"
    __audited__ = True
    __audit_redact__ = {"token_hash"}

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    #: SHA-256 of the token; the token itself is shown once and never stored
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)

    user: Mapped[User] = relationship(back_populates="tokens")


class UserSession(db.Model):
    """A login session held on the server: the cookie carries only its random token, so ending it here ends it."""

    __tablename__ = "user_sessions"
    __audit_exempt__ = "session bookkeeping: logins, logouts and the ends of sessions are audited as events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    #: SHA-256 of the token in the session cookie; the token itself is never stored
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: refreshed at most once a minute by the requests of the session
    last_seen_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    #: logout, password changed, idle, lifetime, …
    end_reason: Mapped[str | None] = mapped_column(String(100), nullable=True)


class RateLimitCounter(db.Model):
    """A login-throttle counter shared by every worker and host (the storage of Flask-Limiter's counts)."""

    __tablename__ = "rate_limit_counters"
    __audit_exempt__ = "throttle counters, not GMP records; the refused attempts themselves are audited"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    hits: Mapped[int] = mapped_column(Integer)
    #: when the window ends, in milliseconds since the epoch
    expires_at_ms: Mapped[int] = mapped_column(BigInteger)
