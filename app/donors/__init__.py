"""Donors, their consent and screening, QA's eligibility decision, and procurements with their DINs."""
