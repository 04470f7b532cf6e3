"""The HTTP kit the routers use: the ASGI edge, auth, dependencies, rate limits, paging,
preconditions and problem answers. It imports no domain."""
