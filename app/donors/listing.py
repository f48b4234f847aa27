"""The donor list, filtered: one query for the API and the page."""

from sqlalchemy import select

from .models import Donor


def filtered_donors(query: dict):
    """Donors by code, narrowed by eligibility and the start of their code."""
    statement = select(Donor).order_by(Donor.code)
    if query.get("eligibility"):
        statement = statement.where(Donor.eligibility == query["eligibility"])
    if query.get("code"):
        statement = statement.where(Donor.code.startswith(query["code"], autoescape=True))
    return statement
