"""An audited change, as a domain hands it to the audit log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True, kw_only=True)
class Entry:
    """One audited change: who did what to which entity, when, from what to what, and why."""

    actor: str
    action: str
    entity_type: str
    entity_id: str
    occurred_at: datetime
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    reason: str | None = None
