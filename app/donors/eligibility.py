"""The donor eligibility rule, as a pure function: which requirements are unmet."""

import datetime as dt
from collections.abc import Iterable

from flask_babel import gettext as _


def unmet_requirements(tests: Iterable, donation_dates: list[dt.date], required_markers: Iterable[str],
                       retest_days: int) -> list[str]:
    """Every required marker must be negative, and for each donation either NAT was done on the donation
    sample (same day) or serology was repeated at least `retest_days` after donation."""
    tests = list(tests)
    problems = []
    if not donation_dates:
        problems.append(_("no donation (procurement) is recorded for this donor"))
    for marker in required_markers:
        results = [t for t in tests if t.marker == marker]
        if not results:
            problems.append(_("%(marker)s: no screening result", marker=marker))
            continue
        bad = [t for t in results if t.result != "negative"]
        if bad:
            problems.append(_("%(marker)s: %(result)s %(method)s result of %(sample_date)s", marker=marker,
                              result=bad[0].result, method=bad[0].method, sample_date=bad[0].sample_date))
            continue
        for donated in donation_dates:
            nat = any(t.method == "NAT" and t.sample_date == donated for t in results)
            retest = any(t.method == "serology" and (t.sample_date - donated).days >= retest_days for t in results)
            if not (nat or retest):
                problems.append(_("%(marker)s: neither NAT on the donation sample of %(donated)s nor serology "
                                  "repeated %(retest_days)s days or more after it", marker=marker, donated=donated,
                                  retest_days=retest_days))
    return problems
