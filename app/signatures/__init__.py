"""Electronic signatures (21 CFR 11, EU GMP Annex 11), one reusable piece for every signed record."""
