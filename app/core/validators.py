"""Input rules shared by the API schemas, the page forms and the operations; each refuses with InvalidInput (422).

Each check takes the value and the name of the field it came from, and answers the value to keep (texts come
back stripped). The same functions run in the marshmallow fields (app/core/fields.py), in the WTForms
validator ``Rule`` (app/core/forms.py) and in the operations, so a page, an API call and a CLI command meet
the same rule with the same words.
"""

import datetime as dt
import re

from flask import has_app_context
from flask_babel import gettext as _

from .errors import InvalidInput

#: ids are 32-bit integers in the database; a larger one (from a URL or a body) names nothing
MAX_ID = 2**31 - 1
#: the bank's dates lie within these bounds: the DIN's two-digit year then names one year only
EARLIEST_DATE = dt.date(2000, 1, 1)
LATEST_DATE = dt.date(2099, 12, 31)
EARLIEST_MOMENT = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
#: a time stamped by another clock (a monitor, a workstation) may run this far ahead of the server's
CLOCK_SKEW = dt.timedelta(minutes=5)

#: C0 controls other than tab, newline and carriage return; DEL; C1 controls; lone surrogates
FORBIDDEN_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
LINE_BREAKS = re.compile("[\t\n\r\u2028\u2029]")
#: a pseudonymous code: letters and digits in groups joined by '-', ending in a digit (its sequence number; a
#: person's name has none), stored upper-case, e.g. ASC-D001
PSEUDONYMOUS_CODE = "^([A-Za-z0-9]+-)*[A-Za-z0-9]*[0-9]$"
CODE_LENGTH = (3, 40)
#: a lot number: letters, digits and '-', stored upper-case; at most 17 characters, so that its vials' codes (the
#: number and a division, e.g. DP-0001-A0) keep within a unit code's 20
LOT_NUMBER = "^[A-Za-z0-9-]+$"
LOT_NUMBER_LENGTH = (3, 17)


def refuse(field: str, message: str):
    """Raise the 422 of one field, its message naming the field."""
    raise InvalidInput(_("%(field)s: %(message)s", field=field, message=message), {field: [message]})


def check_characters(value: str, field: str) -> str:
    """Text never holds control characters (tab and line breaks aside) nor lone surrogates."""
    if found := FORBIDDEN_CHARACTERS.search(value):
        refuse(field, f"control character or lone surrogate U+{ord(found.group()):04X} is not allowed")
    return value


def text(value: str, field: str, max_length: int, min_length: int = 1, multiline: bool = False) -> str:
    """Text that carries meaning: not blank, within its length once stripped, on one line unless multiline."""
    if not isinstance(value, str):
        refuse(field, "must be text")
    check_characters(value, field)
    stripped = value.strip()  # a scanner's trailing tab or line break is not part of the text
    if not multiline and LINE_BREAKS.search(stripped):
        refuse(field, "must be one line (no tab or line break)")
    if not stripped:
        refuse(field, "must not be blank")
    if not min_length <= len(stripped) <= max_length:
        refuse(field, f"must have {min_length} to {max_length} characters")
    return stripped


def optional_text(value: str | None, field: str, max_length: int, min_length: int = 1,
                  multiline: bool = False) -> str | None:
    """None or "" mean nothing was given; anything else must carry meaning."""
    if value is None or value == "":
        return None
    return text(value, field, max_length, min_length, multiline)


def reason(value: str, field: str = "reason", max_length: int = 2000) -> str:
    """Why a record changes: at least 3 characters that are not blank; several lines allowed."""
    return text(value, field, max_length, min_length=3, multiline=True)


def optional_reason(value: str | None, field: str = "reason", max_length: int = 2000) -> str | None:
    return optional_text(value, field, max_length, min_length=3, multiline=True)


def pseudonymous_code(value: str, field: str = "code") -> str:
    """A code that names a person without naming them (donor, patient): e.g. ASC-D001, never a name; upper-cased."""
    low, high = CODE_LENGTH
    if not isinstance(value, str) or not low <= len(value) <= high or not re.fullmatch(PSEUDONYMOUS_CODE[1:-1], value):
        refuse(field, f"a pseudonymous code is {low} to {high} letters and digits in groups joined by '-', ending "
                      "in a digit (e.g. ASC-D001), never a name")
    return value.upper()


def lot_number(value: str, field: str = "number") -> str:
    """A lot number (e.g. DP-0001), upper-cased."""
    low, high = LOT_NUMBER_LENGTH
    if not isinstance(value, str) or not low <= len(value.strip()) <= high \
            or not re.fullmatch(LOT_NUMBER[1:-1], value.strip()):
        refuse(field, _("a lot number is %(low)s to %(high)s letters, digits or '-' (its vials are coded "
                        "number-division)", low=low, high=high))
    return value.strip().upper()


def bank_date(value: dt.date, field: str) -> dt.date:
    """A date within the bank's years (an expiry in year 190 is a typing error)."""
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        refuse(field, f"{value.isoformat()} is outside {EARLIEST_DATE.isoformat()} to {LATEST_DATE.isoformat()}")
    return value


def _today() -> dt.date:
    if has_app_context():
        from .timezones import site_zone

        return dt.datetime.now(site_zone()).date()
    return dt.datetime.now(dt.UTC).date()


def past_date(value: dt.date, field: str) -> dt.date:
    """The date of something that happened: within the bank's years and not after today (site time)."""
    bank_date(value, field)
    if value > _today():
        refuse(field, f"{value.isoformat()} is in the future: this records something that already happened")
    return value


def past_moment(value: dt.datetime, field: str) -> dt.datetime:
    """The time of something that happened: with its UTC offset, within the bank's years, not in the future."""
    if value.tzinfo is None or value.utcoffset() is None:
        refuse(field, "give the time with its UTC offset")
    if value < EARLIEST_MOMENT or value.year > LATEST_DATE.year:
        refuse(field, f"{value.isoformat()} is outside the years {EARLIEST_DATE.year} to {LATEST_DATE.year}")
    if value > dt.datetime.now(dt.UTC) + CLOCK_SKEW:
        refuse(field, f"{value.isoformat()} is in the future: this records something that already happened")
    return value


def moment(value: dt.datetime, field: str) -> dt.datetime:
    """Any time the bank deals in (a filter, a bound): with its UTC offset and within the bank's years."""
    if value.tzinfo is None or value.utcoffset() is None:
        refuse(field, "give the time with its UTC offset")
    if not EARLIEST_DATE.year - 1 <= value.year <= LATEST_DATE.year + 1:
        refuse(field, f"{value.isoformat()} is outside the years {EARLIEST_DATE.year} to {LATEST_DATE.year}")
    return value
