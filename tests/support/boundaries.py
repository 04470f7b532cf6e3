"""An import-linter contract: a domain reaches another domain only through its public modules.

    [[tool.importlinter.contracts]]
    type = "domain_boundaries"
    domains = ["app.segments", "app.terms", ...]
    public = ["service", "schemas"]

`app.invoices.service` may import `app.terms.service`, never `app.terms.repository` nor
`app.terms.cache`: what a domain keeps behind its service is its own to change.
"""

from __future__ import annotations

from typing import cast

import grimp
from importlinter import Contract, ContractCheck, fields, output


class DomainBoundaries(Contract):
    type_name = "domain_boundaries"

    domains = fields.ListField(subfield=fields.StringField())
    public = fields.ListField(subfield=fields.StringField())

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        domains = cast(list[str], self.domains)
        public = {f"{domain}.{name}" for domain in domains for name in cast(list[str], self.public)}
        crossings: list[grimp.DetailedImport] = []
        for importer in sorted(graph.modules):
            home = _domain_of(importer, domains)
            if home is None:
                continue
            for imported in sorted(graph.find_modules_directly_imported_by(importer)):
                other = _domain_of(imported, domains)
                if other is None or other == home or imported in public or imported == other:
                    continue
                for detail in graph.get_import_details(importer=importer, imported=imported):
                    crossings.append(detail)
        return ContractCheck(kept=not crossings, metadata={"crossings": crossings})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for crossing in check.metadata["crossings"]:
            output.print_error(
                f"{crossing['importer']}:{crossing['line_number']} imports "
                f"{crossing['imported']}, which is not that domain's service or schemas.",
                bold=False,
            )
            output.new_line()


def _domain_of(module: str, domains: list[str]) -> str | None:
    for domain in domains:
        if module == domain or module.startswith(domain + "."):
            return domain
    return None
