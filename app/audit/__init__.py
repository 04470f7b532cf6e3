"""The append-only audit log: who changed what, when and why."""
