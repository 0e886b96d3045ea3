"""What every test folder shares: engines, made-up quotes, how long to wait.

Test modules import from here, never from each other. The fixtures built on
these live in ``tests/conftest.py``.
"""
