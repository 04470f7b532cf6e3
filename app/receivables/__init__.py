"""Receivables reports: what is owed and how old it is, and cash collected by sales owner."""
