"""Marshmallow fields of the API: the shared input rules (validators.py) and an honest OpenAPI description.

- Text: not blank, no control characters, stripped; one line unless ``multiline``.
- Integer: a JSON number with no fractional part (``72673`` or ``72673.0``; ``72673.5``, ``"5"`` and ``true``
  are refused), within its bounds; ``Id`` is an Integer from 1 to the database's largest id.
- Decimal: exact numbers travel as strings (``"98.5"``), in and out, documented as ``format: decimal``; a JSON
  number is refused (it is a binary float); more decimals than the column keeps are refused, never rounded.
- PastDate / PastDateTime: something that happened; BankDate: any date of the bank (an expiry).
"""

import datetime as dt
import decimal
import numbers
import re

from marshmallow import ValidationError, fields

from . import validators
from .errors import InvalidInput
from .validators import MAX_ID

DECIMAL_PATTERN = r"^-?[0-9]+(\.[0-9]+)?$"
#: a signed 64-bit column holds no more
MAX_INTEGER = 2**63 - 1


def checked(check, value, *args, **kwargs):
    """Run a shared rule, its refusal turned into the field's marshmallow error."""
    try:
        return check(value, *args, **kwargs)
    except InvalidInput as error:
        raise ValidationError(next(iter(error.errors.values()))[0]) from None


class Text(fields.String):
    """Text that must carry meaning."""

    def __init__(self, max_length: int, min_length: int = 1, multiline: bool = False, **kwargs):
        self.max_length, self.min_length, self.multiline = max_length, min_length, multiline
        kwargs.setdefault("metadata", {})
        kwargs["metadata"] = {"minLength": min_length, "maxLength": max_length, **kwargs["metadata"]}
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        return checked(validators.text, value, attr or "text", self.max_length, self.min_length, self.multiline)


class PseudonymousCode(fields.String):
    """A code naming a person without naming them (a donor): never a name."""

    def __init__(self, **kwargs):
        low, high = validators.CODE_LENGTH
        kwargs["metadata"] = {"pattern": validators.PSEUDONYMOUS_CODE, "minLength": low, "maxLength": high,
                              "example": "ASC-D001", **kwargs.get("metadata", {})}
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        return checked(validators.pseudonymous_code, super()._deserialize(value, attr, data, **kwargs), attr or "code")


class LotNumber(fields.String):
    """A lot number: short enough for its vials' codes."""

    def __init__(self, **kwargs):
        low, high = validators.LOT_NUMBER_LENGTH
        kwargs["metadata"] = {"pattern": validators.LOT_NUMBER, "minLength": low, "maxLength": high,
                              "example": "DP-0001", **kwargs.get("metadata", {})}
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        return checked(validators.lot_number, super()._deserialize(value, attr, data, **kwargs), attr or "number")


def Reason(max_length: int = 2000, **kwargs) -> Text:  # noqa: N802 (a field factory)
    """Why a record changes: at least 3 characters, several lines allowed."""
    return Text(max_length, min_length=3, multiline=True, **kwargs)


class Integer(fields.Integer):
    """A whole JSON number within bounds (72673.0 is 72673; 72673.5 and "72673" are refused)."""

    default_error_messages = {"invalid": "Not a valid integer.", "fraction": "must be a whole number",
                              "range": "must be between {minimum} and {maximum}"}

    def __init__(self, minimum: int = -MAX_INTEGER, maximum: int = MAX_INTEGER, **kwargs):
        self.minimum, self.maximum = minimum, maximum
        kwargs["metadata"] = {"minimum": minimum, "maximum": maximum, **kwargs.get("metadata", {})}
        super().__init__(strict=False, **kwargs)

    def _validated(self, value) -> int:
        if isinstance(value, bool) or not isinstance(value, numbers.Number):
            raise self.make_error("invalid")
        if isinstance(value, float | decimal.Decimal) and not (value == value and abs(value) != float("inf")):
            raise self.make_error("invalid")
        if value != int(value):
            raise self.make_error("fraction")
        number = int(value)
        if not self.minimum <= number <= self.maximum:
            raise self.make_error("range", minimum=self.minimum, maximum=self.maximum)
        return number


def Id(**kwargs) -> Integer:  # noqa: N802 (a field factory)
    """The id of a record: 1 to the largest id the database holds."""
    return Integer(1, MAX_ID, **kwargs)


class QueryInteger(Integer):
    """An Integer read from a query string, where it is digits."""

    def _validated(self, value) -> int:
        if isinstance(value, str):
            if not re.fullmatch(r"-?[0-9]{1,20}", value):
                raise self.make_error("invalid")
            value = int(value)
        return super()._validated(value)


class Decimal(fields.Decimal):
    """An exact number as a string, in and out."""

    default_error_messages = {"invalid": "Not a valid decimal number.",
                              "number": 'give it as a string, e.g. "98.5" (a JSON number is a binary float)',
                              "places": "at most {places} decimal(s)",
                              "range": "must be {bounds}"}

    def __init__(self, places: int | None = None, minimum=None, maximum=None, min_inclusive: bool = True,
                 max_inclusive: bool = True, **kwargs):
        self.max_places = places
        self.bounds = (None if minimum is None else decimal.Decimal(minimum),
                       None if maximum is None else decimal.Decimal(maximum), min_inclusive, max_inclusive)
        metadata = {"pattern": DECIMAL_PATTERN, "maxLength": 40, "description": self.describe_bounds()}
        kwargs["metadata"] = {**metadata, **kwargs.get("metadata", {})}
        super().__init__(as_string=True, **kwargs)

    def describe_bounds(self) -> str:
        low, high, low_in, high_in = self.bounds
        words = [f"{'≥' if low_in else '>'} {low}" if low is not None else "",
                 f"{'≤' if high_in else '<'} {high}" if high is not None else "",
                 f"at most {self.max_places} decimal(s)" if self.max_places is not None else ""]
        return "a decimal number as a string" + "".join(f", {w}" for w in words if w)

    def _to_string(self, value: decimal.Decimal) -> str:
        return format(value, "f")

    def _validated(self, value) -> decimal.Decimal:
        if not isinstance(value, str):
            raise self.make_error("number" if isinstance(value, numbers.Number) else "invalid")
        if not re.fullmatch(DECIMAL_PATTERN[1:-1], value) or len(value) > 40:
            raise self.make_error("invalid")
        number = decimal.Decimal(value)
        if self.max_places is not None and -number.as_tuple().exponent > self.max_places:
            raise self.make_error("places", places=self.max_places)
        low, high, low_in, high_in = self.bounds
        if (low is not None and (number < low or (number == low and not low_in))) or (
                high is not None and (number > high or (number == high and not high_in))):
            raise self.make_error("range", bounds=self.describe_bounds().removeprefix("a decimal number as a string, "))
        return number


class PastDate(fields.Date):
    """The date of something that happened."""

    def _deserialize(self, value, attr, data, **kwargs) -> dt.date:
        return checked(validators.past_date, super()._deserialize(value, attr, data, **kwargs), attr or "date")


class BankDate(fields.Date):
    """Any date of the bank (an expiry): within its years."""

    def _deserialize(self, value, attr, data, **kwargs) -> dt.date:
        return checked(validators.bank_date, super()._deserialize(value, attr, data, **kwargs), attr or "date")


class PastDateTime(fields.AwareDateTime):
    """The time of something that happened, with its UTC offset."""

    def _deserialize(self, value, attr, data, **kwargs) -> dt.datetime:
        moment = super()._deserialize(value, attr, data, **kwargs)
        return checked(validators.past_moment, moment, attr or "time")


class Moment(fields.AwareDateTime):
    """A time with its UTC offset within the bank's years (a filter bound)."""

    def _deserialize(self, value, attr, data, **kwargs) -> dt.datetime:
        return checked(validators.moment, super()._deserialize(value, attr, data, **kwargs), attr or "time")


def register(api) -> None:
    """Tell flask-smorest how these fields look in the OpenAPI document."""
    api.register_field(Decimal, "string", "decimal")
    api.register_field(Integer, "integer", None)
    api.register_field(QueryInteger, "integer", None)
