"""The committed OpenAPI document, openapi/openapi.json: tests/test_openapi.py holds it equal to
the app's, so the other tests may read it instead of building the document again."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

COMMITTED = Path(__file__).resolve().parents[2] / "openapi" / "openapi.json"


def committed_document() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(COMMITTED.read_text())
    return document
