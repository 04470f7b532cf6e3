"""Checkout decisions: the terms an order may have, answered from memory and recorded."""
