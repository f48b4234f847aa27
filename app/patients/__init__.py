"""Trial patients: pseudonymous subjects, their eligibility checklist against the protocol, status and schedule."""
