"""Where a benchmark's figures came from: the machine, and the commit of cosynth measured."""

from __future__ import annotations

import os
import platform
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent


def machine() -> dict[str, Any]:
    """CPU, memory, load and Python of this machine, and the time of the run."""
    return {
        "cpu_count": os.cpu_count(),
        "cpu_model": _proc_field("/proc/cpuinfo", "model name"),
        "ram_gib": _ram_gib(),
        "load_average": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def git_source() -> dict[str, Any]:
    """The commit under test, and whether src/ differs from it."""
    git = ["git", "-C", str(REPO)]
    head = subprocess.run(
        [*git, "rev-parse", "--short", "HEAD"], check=False, capture_output=True, text=True
    )
    status = subprocess.run(
        [*git, "status", "--porcelain", "--", "src"], check=False, capture_output=True, text=True
    )
    return {"commit": head.stdout.strip() or "?", "src_changed_since": bool(status.stdout.strip())}


def _proc_field(path: str, name: str) -> str | None:
    source = Path(path)
    if not source.exists():
        return None
    for line in source.read_text().splitlines():
        if line.startswith(name):
            return line.split(":", 1)[1].strip()
    return None


def _ram_gib() -> float | None:
    total = _proc_field("/proc/meminfo", "MemTotal")
    return round(int(total.split()[0]) / 2**20, 1) if total else None
