"""Customers: their placement in a segment, and the overrides ops pin on them."""
