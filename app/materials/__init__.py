"""Reagent and material lots: received in quarantine, approved or rejected by QA, consumed only when usable."""
