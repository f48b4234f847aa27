"""Users and their personal API tokens. Users are never deleted, only deactivated."""

import datetime as dt

from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.types import UTCDateTime, utcnow
from app.extensions import db


class User(UserMixin, db.Model):
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
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    tokens: Mapped[list["ApiToken"]] = relationship(back_populates="user", order_by="ApiToken.id")

    __signature_meanings__ = ("access approved", "access reviewed")
    __signer_roles__ = ("admin", "qa")

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

    def signed_content(self) -> dict:
        """What a signature on this account vouches for."""
        return {"username": self.username, "full_name": self.full_name, "roles": self.roles, "active": self.active}


class ApiToken(db.Model):
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
