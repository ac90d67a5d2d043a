"""Registrations (đăng ký thi đua): a unit joins movements for a phase."""
