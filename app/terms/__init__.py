"""A customer's terms: the in-memory snapshot checkout reads, and how it stays coherent."""
