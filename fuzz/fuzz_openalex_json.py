"""Coverage-guided fuzzing of the openalex json reader (issue 10); run by fuzz/run.py.

Alone (from the repository root):
    python fuzz/fuzz_openalex_json.py fuzz/corpus/openalex_json -max_total_time=60
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fuzz.harness import main

if __name__ == "__main__":
    main("openalex_json")
