"""Quotes: a live, multi-machine list of quotes."""

__version__ = "0.1.0"
