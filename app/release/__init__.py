"""QA's release and rejection of a lot: every rule checked, every unmet one listed, signed."""
