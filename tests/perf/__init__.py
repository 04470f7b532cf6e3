"""`make bench`: the terms lookup against its floor, and the snapshot's cost in time and memory.

Not a test: run with `python -m tests.perf.run`; pytest never collects this package.
"""
