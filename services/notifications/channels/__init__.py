"""Delivery channels of notifications: email over SMTP and signed webhooks.

A library for the delivery worker: no database and no Kafka here. Each channel sends one
delivery and answers a `DeliveryOutcome` (defined in `channels.webhook`, shared by both):
`ok`, the status the other side gave (`status_code`: HTTP status or SMTP reply code), an
`error` text, and `retryable`, which tells the worker whether trying the same delivery again
later can succeed (network errors, timeouts, HTTP 429/5xx, SMTP 4xx) or not (the receiver
refused the content and will refuse it again). Delivery failures never raise.

- `channels.webhook`: `post_webhook`, `sign`, `signature_header`, `verify` (Stripe-style
  `Thidua-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>` headers).
- `channels.email`: `SmtpSettings`, `build_email`, `send_email` (UTF-8, plain text and HTML,
  `Message-ID` derived from the delivery id).

What a message says comes from `services.notifications.domain.templates.render`.
"""
