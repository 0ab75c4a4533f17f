"""Benchmarks of journal_ext against the baselines named in issue 8; run ``python -m benchmarks`` (see run.py)."""
