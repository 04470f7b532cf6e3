"""What an import did, as `termsgate import-history` prints it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ImportResult:
    file_name: str
    file_sha256: str
    rows: int
    invoices_added: int
    payments_added: int
    already_present: int
    import_id: str | None = None  # None when nothing was written
    earlier_import_id: str | None = None  # set when this very file was loaded before
    disputes_added: int = 0  # from the optional `disputed` column

    def summary(self) -> str:
        if self.import_id is not None:
            added = [_count(self.invoices_added, "invoice"), _count(self.payments_added, "payment")]
            if self.disputes_added:
                added.append(_count(self.disputes_added, "dispute"))
            return (
                f"{self.file_name}: {', '.join(added[:-1])} and {added[-1]} added, "
                f"{self.already_present:,} already present (import {self.import_id})"
            )
        before = f"; imported before as {self.earlier_import_id}" if self.earlier_import_id else ""
        return (
            f"{self.file_name}: 0 invoices added, {self.already_present:,} already "
            f"present{before}; nothing written"
        )


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}" + ("" if number == 1 else "s")
