"""Benchmarks: ``uv run python -m bench NAME [args]`` runs ``bench/NAME.py``'s ``main(argv)``.

Each benchmark reports its figures as ratios against a baseline measured in the same run and
process (never as absolute timings in tests); results go to docs/performance.md.
"""
