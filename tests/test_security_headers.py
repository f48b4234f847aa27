"""Security headers: a CSP without inline script, no framing, no sniffing, no cross-site referrer, nothing cached."""

import re
from pathlib import Path

import pytest

from app.core.headers import CONTENT_SECURITY_POLICY

TEMPLATES = sorted(Path(__file__).resolve().parent.parent.joinpath("app").rglob("templates/**/*.html"))


@pytest.mark.parametrize("url", ["/login", "/dashboard", "/lots", "/api/v1/me", "/api/v1/lots", "/api/v1/nowhere"])
def test_every_answer_carries_the_security_headers(client, make_user, login, url):
    make_user("tech1")
    login("tech1")
    response = client.get(url)
    headers = response.headers
    assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert headers["X-Content-Type-Options"] == "nosniff" and headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cache-Control"] == "no-store"


def test_the_policy_forbids_inline_script_and_framing():
    directives = dict(d.strip().split(" ", 1) for d in CONTENT_SECURITY_POLICY.split(";"))
    assert directives["script-src"] == "'self'" and "unsafe" not in CONTENT_SECURITY_POLICY
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"


def test_static_files_may_be_cached(client):
    with client.get("/static/web/cellbank.css") as response:
        assert response.status_code == 200 and "no-store" not in response.headers.get("Cache-Control", "")
        assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(p.parents[2])))
def test_no_template_holds_inline_script_or_style(template):
    text = template.read_text()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), "inline <script>"
    assert not re.search(r"\son[a-z]+\s*=", text), "inline event handler"
    assert not re.search(r"\sstyle\s*=", text), "inline style"
    assert "javascript:" not in text
