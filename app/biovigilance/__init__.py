"""Biovigilance: adverse reactions and events on a patient, and the case a serious one opens for notification."""
