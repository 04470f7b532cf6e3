"""The stores every test runs on, and the names the suite gives them."""

from __future__ import annotations

from typing import Final

# The migrated PostgreSQL database each test's own database is copied from.
TEMPLATE_DB: Final = "termsgate_template"
BACKENDS: Final = ("sqlite", "postgresql")
