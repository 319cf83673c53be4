"""Coverage-guided fuzzing of the store backup reader (issue 10); run by fuzz/run.py.

Alone (from the repository root):
    python fuzz/fuzz_backup.py fuzz/corpus/backup -max_total_time=60
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fuzz.harness import main

if __name__ == "__main__":
    main("backup")
