"""Webhook deliveries: the outbox, the relay that empties it, and what ops see of both."""
