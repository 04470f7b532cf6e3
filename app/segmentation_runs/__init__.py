"""Segmentation runs: classify every customer with invoices by the policy, preview or apply."""
