"""Benchmarks against the 1.x server's figures: `python -m bench` starts the servers itself,
runs every workload and prints a table (see docs/performance.md)."""
