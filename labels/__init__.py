"""Identifiers and label rendering: plain data in, bytes out (ISBT 128 arrives with the bank core)."""
