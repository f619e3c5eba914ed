"""listingwatch: the command line, the front door to everything (DESIGN §5).

Exit codes: 0 success, 1 failure, 2 usage error. Domain errors are mapped to a clear
message and an exit code at the edge; the packages below raise typed exceptions.

The commands live in the `cli` package, one module per command group; this module is the
entry point (`python -m listingwatch`, the `listingwatch` console script) and keeps the
names other code imports from it.
"""

from __future__ import annotations

from cli import main
from cli.app import app
from cli.records import default_workers, score_stream

# Importable from here as before (tests, bench/score.py).
__all__ = ["app", "default_workers", "main", "score_stream"]

if __name__ == "__main__":
    main()
