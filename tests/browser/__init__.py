"""The portal (every role, on the whole system) and the reporting dashboard in a real browser
(headless Debian Chromium driven by Playwright)."""
