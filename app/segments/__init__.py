"""Segments: terms, credit limit, workflow and contact plan, keyed by a short name."""
