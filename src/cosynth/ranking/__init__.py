"""ranking layer."""
