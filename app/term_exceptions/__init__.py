"""Term exceptions: sales asks, finance approves or rejects, and the snapshot follows."""
