"""Scoring: initiative councils, unit emulation scores, awards by rule."""
