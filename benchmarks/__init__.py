"""Benchmarks that hold the pipeline to the limit of its slowest necessary stage.

``make bench`` (``python -m benchmarks``) runs each case against its baselines in the same run, on
the same data and the same services, prints a table and writes it to ``benchmarks/results/``.
Not part of ``make test``: the numbers are measurements, not pass/fail assertions on timing.
"""
