"""The Textual station app: a thin shell over the same functions the `station` command calls.

Only this package imports Textual; the core never does (a test checks it).
"""
