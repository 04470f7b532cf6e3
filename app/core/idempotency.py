"""What makes a retry the same request: routes, payments and touches check it alike."""

from __future__ import annotations

import hashlib

import orjson
from pydantic import BaseModel


def request_fingerprint(body: BaseModel) -> str:
    """SHA-256 of the request as understood (defaults filled), so key order or an explicit
    null for an omitted field does not make an identical retry look different."""
    canonical = orjson.dumps(body.model_dump(mode="json"), option=orjson.OPT_SORT_KEYS)
    return hashlib.sha256(canonical).hexdigest()
