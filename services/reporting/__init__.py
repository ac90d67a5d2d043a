"""Reporting: read models of every event, progress against the plan's targets."""
