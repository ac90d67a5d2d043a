"""Notifications' use cases: telling people and forwarding to subscribers (`notifier`, in
the consumer's transaction), delivering what was queued by email and webhook (`delivery`,
a worker) and the digests and reminders due on the campaign's calendar (`scheduler`)."""
