"""The store: the only package that knows SQL (engine, `*Row` tables, queries, migrations)."""
