"""Workflows: where routed invoices and exception events are delivered."""
