"""Benchmarks: run them all with ``python -m benchmarks.run`` (see README.md)."""
