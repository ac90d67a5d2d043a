"""Submissions: where units and members put things in (initiatives first)."""
