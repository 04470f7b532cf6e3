"""API keys as the tests make them: the `make_key` fixture's type, and the maker itself."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from app.apikeys import service as apikeys
from app.core.clock import Clock
from app.core.store import Store

# make_key(*scopes, name=None, owner=None): a new key with those scopes (acting for `owner`,
# by default the name), as ready-to-send headers.
KeyMaker = Callable[..., dict[str, str]]


def key_maker(store: Store, clock: Clock) -> KeyMaker:
    """Keys written through `store` (so its app's cache has them at once)."""

    def make(*scopes: str, name: str | None = None, owner: str | None = None) -> dict[str, str]:
        with store.writing() as session:
            token = apikeys.create(
                session,
                name or f"key-{uuid.uuid4().hex[:8]}",
                scopes=list(scopes),
                owner=owner,
                actor="test",
                clock=clock,
            )
        return {"Authorization": f"Bearer {token}"}

    return make
