"""Notifications: tells people and systems what happened (inbox, email, webhooks)."""
