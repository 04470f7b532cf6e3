"""API keys: created and revoked from the command line; only their hashes are stored."""
