"""Reliability campaigns: fuzzing, crash safety, memory, load and access.

Each module runs one campaign and returns its figures as a plain dict; the tests in
tests/test_reliability*.py run short versions of them, and ``python -m
benchmarks.reliability`` runs the long ones, writes ``benchmarks/results/reliability.json``
and regenerates the table in docs/reliability.md (never edited by hand).
"""
