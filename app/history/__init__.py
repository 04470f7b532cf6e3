"""Importing historical invoices and payments from a CSV file (`termsgate import-history`)."""
