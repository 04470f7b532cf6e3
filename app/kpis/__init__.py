"""Receivables KPIs: DSO (standard and countback), best possible DSO, ADD, CEI and their trend."""
