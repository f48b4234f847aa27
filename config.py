"""Configuration classes, read from the environment when instantiated."""

import os
import secrets
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent


def _env(name: str, default: str) -> str:
    return os.environ.get(name) or default


#: the languages of the pages and messages (app/translations holds each one's catalogue but English's)
LOCALES = ("en", "fr")


def _locale() -> str:
    """CELLBANK_LOCALE, the site's language for whoever chose none: a language we have, or the app does not start."""
    locale = _env("CELLBANK_LOCALE", "en")
    if locale not in LOCALES:
        raise ValueError(f"CELLBANK_LOCALE={locale!r} is not a language of the cell bank: use {' or '.join(LOCALES)}")
    return locale


def _dose_vials() -> int:
    """CELLBANK_DOSE_VIALS, the vials the supply forecast counts per dose: a whole number of at least 1."""
    text = _env("CELLBANK_DOSE_VIALS", "1")
    if not text.isdigit() or int(text) < 1:
        raise ValueError(f"CELLBANK_DOSE_VIALS={text!r} must be a whole number of vials, at least 1")
    return int(text)


def _secret_key(instance_dir: Path) -> str:
    """Return CELLBANK_SECRET_KEY, or a key generated once into instance/secret_key."""
    if key := os.environ.get("CELLBANK_SECRET_KEY"):
        return key
    path = instance_dir / "secret_key"
    if not path.exists():
        instance_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


class Config:
    """Settings for running the app; each CELLBANK_* variable is documented in the README."""

    MAX_FAILED_LOGINS = 5
    MIN_PASSWORD_LENGTH = 12
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SESSION_REFRESH_EACH_REQUEST = True
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None
    API_TITLE = "Cell bank GMP inventory and traceability"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.1.0"
    OPENAPI_URL_PREFIX = "/api/v1"
    OPENAPI_JSON_PATH = "openapi.json"

    def __init__(self):
        instance_dir = Path(_env("CELLBANK_INSTANCE_DIR", str(BASE_DIR / "instance")))
        self.INSTANCE_DIR = instance_dir
        self.SECRET_KEY = _secret_key(instance_dir)
        self.SQLALCHEMY_DATABASE_URI = _env("CELLBANK_DATABASE_URL", f"sqlite:///{instance_dir / 'cellbank.sqlite3'}")
        #: owner connection for migrations; on PostgreSQL the app's own role cannot alter tables
        self.MIGRATION_DATABASE_URL = _env("CELLBANK_MIGRATION_DATABASE_URL", self.SQLALCHEMY_DATABASE_URI)
        self.FIN = _env("CELLBANK_FIN", "A9999")
        #: the reporting establishment named on biovigilance notifications, and the trial's EU number (SUSAR reports)
        self.FACILITY_NAME = _env("CELLBANK_FACILITY_NAME", "Cell therapy unit, Rennes university hospital (demo)")
        self.EU_TRIAL_NUMBER = _env("CELLBANK_EU_TRIAL_NUMBER", "2026-500000-00-00")
        #: ISBT 128 collection type printed in product codes (V: volunteer allogeneic donation)
        self.ISBT_COLLECTION_TYPE = _env("CELLBANK_ISBT_COLLECTION_TYPE", "V")
        #: EU Single European Code on tissue labels: country and tissue establishment code (demo values by default)
        self.SEC_COUNTRY = _env("CELLBANK_SEC_COUNTRY", "FR")
        self.SEC_ESTABLISHMENT = _env("CELLBANK_SEC_ESTABLISHMENT", "DEMO01")
        #: how long a Zebra printer has to connect, answer its status and confirm a job (raw TCP, port 9100)
        self.PRINTER_TIMEOUT_SECONDS = float(_env("CELLBANK_PRINTER_TIMEOUT_SECONDS", "5"))
        #: doses: the schedule window (± days around each target date), the interval between doses, the post-thaw
        #: viability a dose needs, how far the prepared cells may be from the prescription, and the vials the supply
        #: forecast counts for each dose
        self.DOSE_WINDOW_DAYS = int(_env("CELLBANK_DOSE_WINDOW_DAYS", "14"))
        self.DOSE_INTERVAL_MONTHS = int(_env("CELLBANK_DOSE_INTERVAL_MONTHS", "3"))
        self.POST_THAW_VIABILITY_MIN_PCT = int(_env("CELLBANK_POST_THAW_VIABILITY_MIN_PCT", "70"))
        self.DOSE_CELL_TOLERANCE_PCT = int(_env("CELLBANK_DOSE_CELL_TOLERANCE_PCT", "10"))
        self.DOSE_VIALS = _dose_vials()
        self.TIMEZONE = _env("CELLBANK_TIMEZONE", "Europe/Paris")
        #: the pages' language for users who chose none (each user may choose theirs)
        self.LOCALE = _locale()
        self.DEMO_PASSWORD = _env("CELLBANK_DEMO_PASSWORD", "demo-password-2026")
        #: a session idle this long ends (held on the server, app.auth.sessions)
        self.IDLE_TIMEOUT_MINUTES = int(_env("CELLBANK_IDLE_TIMEOUT_MINUTES", "15"))
        #: a session ends this long after login, however active it is; the cookie never outlives it
        self.SESSION_MAX_HOURS = int(_env("CELLBANK_SESSION_MAX_HOURS", "12"))
        self.PERMANENT_SESSION_LIFETIME = timedelta(hours=self.SESSION_MAX_HOURS)
        #: failed logins allowed per account and per client address (Flask-Limiter strings)
        self.LOGIN_LIMIT_PER_ACCOUNT = _env("CELLBANK_LOGIN_LIMIT_PER_ACCOUNT", "3 per minute")
        self.LOGIN_LIMIT_PER_ADDRESS = _env("CELLBANK_LOGIN_LIMIT_PER_ADDRESS", "20 per minute")
        #: where the throttle counts live: by default the app's database, shared by every worker and host
        self.RATELIMIT_STORAGE_URI = _env("CELLBANK_RATELIMIT_STORAGE_URI", "cellbank+" + self.SQLALCHEMY_DATABASE_URI)
        #: how many reverse proxies in front of the app set X-Forwarded-For (0: use the peer address)
        self.TRUSTED_PROXIES = int(_env("CELLBANK_TRUSTED_PROXIES", "0"))
        self.SESSION_COOKIE_SECURE = _env("CELLBANK_SECURE_COOKIES", "0") == "1"
        #: an active account whose access was last approved or reviewed longer ago than this is due for review
        self.ACCESS_REVIEW_DAYS = int(_env("CELLBANK_ACCESS_REVIEW_DAYS", "180"))
        #: donor eligibility: markers that must be negative, and the serology retest delay after donation
        self.DONOR_REQUIRED_MARKERS = tuple(_env("CELLBANK_DONOR_REQUIRED_MARKERS", "HIV,HBV,HCV,HTLV,syphilis")
                                            .split(","))
        self.SEROLOGY_RETEST_DAYS = int(_env("CELLBANK_SEROLOGY_RETEST_DAYS", "180"))
        self.CHECKPOINT_KEY = _env("CELLBANK_CHECKPOINT_KEY", str(Path.home() / ".cellbank" / "checkpoint_ed25519.pem"))


class TestConfig(Config):
    """Settings for the test suite: the database URLs come from the fixtures."""

    TESTING = True
    WTF_CSRF_ENABLED = False

    def __init__(self, database_url: str, migration_url: str | None = None, **overrides):
        super().__init__()
        self.SECRET_KEY = "test-secret-key"
        self.SQLALCHEMY_DATABASE_URI = database_url
        self.MIGRATION_DATABASE_URL = migration_url or database_url
        self.RATELIMIT_STORAGE_URI = "cellbank+" + database_url
        #: the throttle counts outside the tests' rolled-back transactions: on only in the tests about it
        self.RATELIMIT_ENABLED = False
        for key, value in overrides.items():
            setattr(self, key, value)
