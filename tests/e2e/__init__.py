"""Browser end-to-end tests: the system Chromium against a live server, on SQLite and PostgreSQL."""
