"""Specifications (versioned), QC results evaluated against them, second-person verification, corrections."""
