"""Use cases: transactions, permissions and the audit log. This is cosynth's Python API.

Each module is one workflow step; each function takes a `Tx` first, checks
permissions, logs what it did, and returns domain values, never rows.
"""
