"""A crawl, as each role, of every link reachable from the dashboard: no 5xx, no broken link, and no link to a page
that role may not open (the menus and pages ask the same permission table as the routes)."""

import re
from collections import deque
from html import unescape
from urllib.parse import urldefrag, urlsplit

import pytest

from app.core.permissions import ROLES
from tests.dispensing.helpers import enrolled_patient
from tests.helpers import PASSWORD
from tests.storage.helpers import boxes

#: a page a role can reach is opened once; a crawl that keeps finding new pages is a bug of its own
LIMIT = 600
HREF = re.compile(r'href="([^"]+)"')


def crawl(client) -> dict[str, int]:
    """Every same-site URL reachable by links from the dashboard, with the status it answered."""
    seen, queue = {}, deque(["/dashboard"])
    while queue:
        url = queue.popleft()
        if url in seen:
            continue
        assert len(seen) < LIMIT, "the crawl does not end"
        answer = client.get(url)
        seen[url] = answer.status_code
        body = answer.get_data(as_text=True) if answer.mimetype == "text/html" else ""
        answer.close()
        if answer.status_code == 200:
            for href in HREF.findall(body):
                link, _ = urldefrag(unescape(href))
                parts = urlsplit(link)
                if link and not parts.scheme and not parts.netloc and link.startswith("/") and link not in seen:
                    queue.append(link)
    return seen


@pytest.fixture
def busy_bank(bank, units, tank, drug_product, make_user):
    """The seeded bank with stored units, a QC result, a deviation, and a user of every role."""
    make_user("pharm1", roles=["pharmacist"])
    make_user("clin1", roles=["clinician"])
    bank.as_user("tech1")
    bank.post(f"/api/v1/units/{units[0]['id']}/store", {"box_id": boxes(tank)[0]["id"]}, expect=200)
    bank.qc(drug_product["id"], "CD73")
    bank.post(f"/api/v1/lots/{drug_product['id']}/deviations", {"description": "cap loose on one vial"})
    bank.as_user("qa1").post("/api/v1/recalls", {"target": f"lot:{drug_product['id']}", "reason": "sterility failure",
                                                 "password": PASSWORD})
    patient = enrolled_patient(bank)
    bank.as_user("clin1").post(f"/api/v1/patients/{patient['id']}/adverse-events", {
        "kind": "event", "occurred_on": "2026-11-30", "description": "fall on the ward", "seriousness": "disability",
        "outcome": "serious sequelae"})
    return bank


def test_every_link_each_role_can_reach_opens(busy_bank):
    users = {"admin": "admin1", "technician": "tech1", "qa": "qa1", "pharmacist": "pharm1", "clinician": "clin1"}
    assert set(users) == set(ROLES)
    for role, username in users.items():
        seen = crawl(busy_bank.as_user(username).client)
        bad = {url: status for url, status in seen.items() if status >= 400}
        assert not bad, f"{role} reaches links that fail: {bad}"
        assert len(seen) > 10, f"{role} reached only {sorted(seen)}"
