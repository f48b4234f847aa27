"""Each role's work: the dashboard's counts and the lists they link to (reads only; no feature imports this)."""
