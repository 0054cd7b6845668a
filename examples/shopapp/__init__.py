"""Example shop that uses Redis through redis-py (see ../README.md)."""
