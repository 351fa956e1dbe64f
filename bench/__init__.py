"""Benchmarks that are run by hand; see each module's docstring for how to run it."""
