"""Trace: forward (every descendant) and backward (every origin and the evidence) through the bank's records."""
