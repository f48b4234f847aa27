"""Security headers on every answer: no inline script, no framing, no sniffing, nothing cached."""

from flask import Flask, request

#: scripts, styles and images only from this site; no inline script or style, no plugin, no framing
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                           "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


def _secure(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")  # a refused form is drawn again on its page
    if not request.path.startswith("/static/"):
        # Pages and API answers show GMP records and personal data: no browser or proxy keeps a copy.
        headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    app.after_request(_secure)
