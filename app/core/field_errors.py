"""Field errors in the reader's words: the fixed messages of marshmallow, webargs, WTForms and our own fields are
catalogue entries; a message formatted from one of them (its ``{placeholders}`` filled) is recognised and
translated with the same values. Anything else is shown as it is."""

import re
from functools import cache

from flask_babel import gettext

from .i18n import N_

TEMPLATES = (
    # marshmallow and webargs
    N_("Missing data for required field."), N_("Field may not be null."), N_("Unknown field."),
    N_("Not a valid string."), N_("Not a valid integer."), N_("Not a valid number."), N_("Not a valid boolean."),
    N_("Not a valid datetime."), N_("Not a valid date."), N_("Not a valid time."), N_("Not a valid mapping type."),
    N_("Not a valid list."), N_("Not a valid tuple."), N_("Invalid input type."), N_("Invalid value."),
    N_("Not a valid email address."), N_("Not a valid URL."), N_("Not a valid decimal number."),
    N_("String does not match expected pattern."), N_("Must be one of: {choices}."),
    N_("Length must be between {min} and {max}."), N_("Shorter than minimum length {min}."),
    N_("Longer than maximum length {max}."), N_("Length must be {equal}."),
    N_("Must be greater than or equal to {min} and less than or equal to {max}."),
    N_("Must be greater than {min} and less than {max}."), N_("Must be greater than or equal to {min}."),
    N_("Must be less than or equal to {max}."), N_("Must be greater than {min}."), N_("Must be less than {max}."),
    N_("Not a valid aware datetime."), N_("Not a valid naive datetime."), N_("Invalid input."), N_("Invalid type."),
    N_("Number too large."), N_("Special numeric values (nan or infinity) are not permitted."),
    # our fields (app/core/fields.py)
    N_("must be a whole number"), N_("must be between {minimum} and {maximum}"), N_("at most {places} decimal(s)"),
    N_('give it as a string, e.g. "98.5" (a JSON number is a binary float)'), N_("must be {bounds}"),
    # WTForms
    N_("This field is required."), N_("Not a valid integer value."), N_("Not a valid decimal value."),
    N_("Not a valid float value."), N_("Not a valid date value."), N_("Not a valid datetime value."),
    N_("Not a valid choice."), N_("Invalid Choice: could not coerce."),
    N_("Field must be between {min} and {max} characters long."),
    N_("Field cannot be longer than {max} characters."), N_("Field must be at least {min} characters long."),
    N_("Number must be between {min} and {max}."), N_("Number must be at least {min}."),
    N_("Number must be at most {max}."),
)
_PLACEHOLDER = re.compile(r"\\\{(\w+)\\\}")


@cache
def _patterns() -> tuple[tuple[re.Pattern, str], ...]:
    return tuple((re.compile(_PLACEHOLDER.sub(r"(?P<\1>.+?)", re.escape(t))), t) for t in TEMPLATES if "{" in t)


def readable(message):
    """One field error (or a list or dict of them) in the reader's language."""
    if isinstance(message, dict):
        return {key: readable(value) for key, value in message.items()}
    if isinstance(message, list | tuple):
        return [readable(item) for item in message]
    if not isinstance(message, str):
        return message
    if message in TEMPLATES:
        return gettext(message)
    for pattern, template in _patterns():
        if match := pattern.fullmatch(message):
            return gettext(template).format(**match.groupdict())
    return message
