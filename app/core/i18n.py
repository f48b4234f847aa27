"""The users' language: the locale of each request, its catalogues compiled when stale, numbers and times by locale.

The French catalogue (app/translations/fr/LC_MESSAGES/messages.po) is the source; its .mo is generated, never
committed: compiled at app start when missing or older than the .po (written atomically, so workers may race).
"""

import datetime as dt
import decimal
import os
import tempfile
from pathlib import Path

from babel import dates, numbers
from babel.messages import mofile, pofile
from flask import current_app, g, has_app_context
from flask_babel import get_locale, get_translations, gettext
from flask_login import current_user
from sqlalchemy import inspect

from config import LOCALES

TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"
#: how each language writes a time: English keeps ISO 8601's order, French its own day/month/year (the zone's
#: abbreviation, CET or CEST, is the time zone database's in both: CLDR has none for it)
DATETIME_PATTERNS = {"en": "yyyy-MM-dd HH:mm:ss", "fr": "dd/MM/yyyy HH:mm:ss"}


def N_(message: str) -> str:  # noqa: N802 (gettext's name for "mark for translation, translate later")
    """Mark a constant message for the catalogue; whoever shows it translates it with gettext."""
    return message


def select_locale() -> str:
    """The user's own choice, else the site's (CELLBANK_LOCALE). Read from the user as loaded, never from the
    database: an error handler may ask while the request's transaction is failed (a lost race)."""
    state = inspect(current_user._get_current_object(), raiseerr=False) if current_user else None
    chosen = state.dict.get("locale") if state is not None else None
    return chosen if chosen in LOCALES else current_app.config["LOCALE"]


def choose_locale() -> None:
    """Before each request, once its user is known: the request's language, kept for the whole request."""
    get_locale()


def translated(message: str) -> str:
    """gettext of a message without variables, from the catalogue of the request's locale, found once per locale
    (Flask-Babel's gettext finds it again at each call, in microseconds, and a page asks for a hundred words)."""
    if not has_app_context():
        return gettext(message)
    current = get_locale()
    locale, catalogue = g.get("catalogue", (None, None))
    if catalogue is None or locale != current:
        catalogue = get_translations()
        g.catalogue = current, catalogue
    return catalogue.ugettext(message)


def install_template_gettext(app) -> None:
    """Templates' ``_()`` through translated; their ngettext as Flask-Babel's."""
    app.jinja_env.install_gettext_callables(
        gettext=translated, ngettext=lambda singular, plural, n: get_translations().ungettext(singular, plural, n),
        newstyle=True)


def current_locale() -> str:
    """The language of this request ("en" outside one)."""
    locale = get_locale()
    return locale.language if locale is not None else "en"


def compile_catalogues(directory: Path = TRANSLATIONS) -> list[Path]:
    """Compile each messages.po whose messages.mo is missing or older; returns the .mo files written."""
    written = []
    for source in sorted(directory.glob("*/LC_MESSAGES/messages.po")):
        target = source.with_suffix(".mo")
        if target.exists() and target.stat().st_mtime >= source.stat().st_mtime:
            continue
        with source.open("rb") as po:
            catalogue = pofile.read_po(po, locale=source.parent.parent.name)
        handle, temporary = tempfile.mkstemp(dir=source.parent, suffix=".mo.tmp")
        with os.fdopen(handle, "wb") as mo:
            mofile.write_mo(mo, catalogue)
        os.replace(temporary, target)
        written.append(target)
    return written


def format_number(value, places: int | None = None) -> str:
    """A Decimal or integer as people of this locale write it: no exponent, every significant decimal (or exactly
    `places` of them: -196.0 °C), no grouping (codes and counts are read digit by digit); a decimal comma in French."""
    if value is None:
        return ""
    if places is not None:
        return numbers.format_decimal(value, format="0." + "0" * places if places else "0", locale=current_locale())
    if isinstance(value, decimal.Decimal):
        value = value.normalize()
    return numbers.format_decimal(value, format="0.###", locale=current_locale(), decimal_quantization=False)


def format_moment(moment: dt.datetime, zone) -> str:
    """An aware time shown in `zone` the way this locale writes it, with the zone's abbreviation."""
    locale = current_locale()
    shown = dates.format_datetime(moment, DATETIME_PATTERNS[locale], tzinfo=zone, locale=locale)
    return f"{shown} {moment.astimezone(zone).tzname()}"
