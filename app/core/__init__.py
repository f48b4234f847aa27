"""Pieces every feature uses: types, errors, the transaction boundary, permissions, the API base."""
