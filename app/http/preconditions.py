"""OpenAPI links from an answer with an ETag to the writes that take it as If-Match."""

from __future__ import annotations

from typing import Any


def if_match_links(key: str | None, **operations: str) -> dict[str, dict[str, Any]]:
    """OpenAPI links from an answer with an ETag to the writes that take it as If-Match
    (link name -> operationId); `key`: the body field that names the resource in the path."""
    parameters = {"header.If-Match": "$response.header.ETag"}
    if key is not None:
        parameters[key] = f"$response.body#/{key}"
    return {
        name: {"operationId": operation, "parameters": parameters}
        for name, operation in operations.items()
    }
