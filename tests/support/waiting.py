"""How long a test waits for something that must happen.

One budget for the whole suite: long enough for a machine whose cores are all
busy with something else, never a measure of speed (tests wait on a condition
and return as soon as it holds; only a failing test waits this long).
"""

#: Seconds to wait for a condition.
WAIT_S = 30.0
#: The same in milliseconds, as Qt's and pytest-qt's waits take it.
WAIT_MS = int(WAIT_S * 1000)
