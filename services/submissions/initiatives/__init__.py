"""Initiatives (sáng kiến): submit, amend, withdraw, import."""
