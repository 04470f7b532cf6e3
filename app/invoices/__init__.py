"""Invoices: routing each to its segment's workflow, and the payments against it."""
