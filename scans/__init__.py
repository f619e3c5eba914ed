"""Scans: what one scan does (`scans.execute`) and on-demand seller scans, from the request
to the report (`scans.on_demand`).

`scheduler.py` runs them (nightly jobs, the on-demand worker) and re-exports the names other
code imports from it, so ``from scheduler import execute_scan`` keeps working.
"""
