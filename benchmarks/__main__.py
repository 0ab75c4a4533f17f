"""``python -m benchmarks``: run the benchmarks and write benchmarks/RESULTS.md."""

import sys

from .run import main

sys.exit(main())
