"""The eligibility rule as a pure function."""

import datetime as dt
from types import SimpleNamespace

from app.donors.eligibility import unmet_requirements

DONATION = dt.date(2026, 3, 2)
MARKERS = ("HIV", "HCV")


def _t(marker, method, day, result="negative"):
    return SimpleNamespace(marker=marker, method=method, sample_date=day, result=result)


def test_nat_on_donation_day_suffices():
    tests = [_t(m, "NAT", DONATION) for m in MARKERS]
    assert unmet_requirements(tests, [DONATION], MARKERS, 180) == []


def test_serology_must_be_repeated_180_days_after_donation():
    early = [_t(m, "serology", DONATION + dt.timedelta(days=179)) for m in MARKERS]
    problems = unmet_requirements(early, [DONATION], MARKERS, 180)
    assert len(problems) == 2 and "180 days" in problems[0]
    late = [_t(m, "serology", DONATION + dt.timedelta(days=180)) for m in MARKERS]
    assert unmet_requirements(late, [DONATION], MARKERS, 180) == []


def test_nat_on_another_day_does_not_count():
    tests = [_t(m, "NAT", DONATION - dt.timedelta(days=1)) for m in MARKERS]
    assert len(unmet_requirements(tests, [DONATION], MARKERS, 180)) == 2


def test_any_positive_or_indeterminate_result_blocks():
    tests = [_t(m, "NAT", DONATION) for m in MARKERS] + [_t("HCV", "serology", DONATION, "indeterminate")]
    assert unmet_requirements(tests, [DONATION], MARKERS, 180) == [f"HCV: indeterminate serology result of {DONATION}"]


def test_missing_marker_and_missing_donation():
    problems = unmet_requirements([_t("HIV", "NAT", DONATION)], [], MARKERS, 180)
    assert problems == ["no donation (procurement) is recorded for this donor", "HCV: no screening result"]


def test_every_donation_needs_its_own_evidence():
    second = DONATION + dt.timedelta(days=30)
    tests = [_t(m, "NAT", DONATION) for m in MARKERS]
    problems = unmet_requirements(tests, [DONATION, second], MARKERS, 180)
    assert len(problems) == 2 and all(str(second) in p for p in problems)
