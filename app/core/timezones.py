"""The site's time zone: times typed by people are site-local; times stored are UTC."""

import datetime as dt
from zoneinfo import ZoneInfo

from flask import current_app


def site_zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["TIMEZONE"])


def site_time(moment: dt.datetime) -> dt.datetime:
    """An aware time: a naive one (from a datetime-local field) is read as site-local time."""
    return moment.replace(tzinfo=site_zone()) if moment.tzinfo is None else moment


def local(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(site_zone())
