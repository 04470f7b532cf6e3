"""API keys as the tests make them: the `make_key` fixture's type."""

from __future__ import annotations

from collections.abc import Callable

# make_key(*scopes, name=None, owner=None): a new key with those scopes (acting for `owner`,
# by default the name), as ready-to-send headers.
KeyMaker = Callable[..., dict[str, str]]
