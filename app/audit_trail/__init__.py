"""Reading and verifying the audit trail: API and pages for QA, administrators and inspectors."""
