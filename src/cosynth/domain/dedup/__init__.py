"""De-duplication rules: what makes two records the same work, and how groups are formed.

Pure functions over `Citation` values (standard library only). The store and
services persist the outcome; the rules live here so they can be
property-tested and explained (docs/methods).
"""
