"""axe-core on a page in Chromium (WCAG 2.2 A and AA); violations in words a person can act on."""

from __future__ import annotations

from typing import Any

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
_AXE = Axe()  # reads the bundled axe-core once: no network


def violations(page: Page, who: str, label: str) -> list[str]:
    """axe-core's violations on the page as it is now, each described for a failure message."""
    result = _AXE.run(
        page, options={"runOnly": {"type": "tag", "values": TAGS}, "resultTypes": ["violations"]}
    )
    return [describe(who, label, violation) for violation in result.response["violations"]]


def describe(who: str, page: str, violation: dict[str, Any]) -> str:
    """One violation: what, where, and how to fix it."""
    lines = [
        f"{who} on {page}: {violation['id']} ({violation.get('impact')}): {violation['help']}",
        f"  {violation['helpUrl']}",
    ]
    for node in violation["nodes"][:5]:
        lines.append(f"  at {' '.join(map(str, node['target']))}: {node['html'][:160]}")
        summary = (node.get("failureSummary") or "").replace("\n", "\n      ")
        lines.append(f"      {summary}")
    return "\n".join(lines)


def assert_no_violations(problems: list[str], pages: int) -> None:
    assert not problems, f"{len(problems)} axe violations on {pages} pages:\n\n" + "\n\n".join(
        problems
    )
