"""The base of the house: configuration, the store, errors, logs, metrics, the clock and the
shared vocabulary. It imports nothing else of the app."""
