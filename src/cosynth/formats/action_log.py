"""The advisory group's action log (the paper's Figure 2) as CSV.

One row per task, in the order the tasks were added: what, who (group
members by name, and/or the review team), the phase of the meta-ethnography
it belongs to (Noblit & Hare's number and name), when it was due and done.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence

from cosynth.domain.advisory import REVIEW_TEAM, Action

ACTION_LOG_COLUMNS = ("Task", "Who", "Phase", "Due", "Done")


def write_action_log_csv(actions: Sequence[Action], names: Mapping[int, str]) -> str:
    """The log as CSV text; `names` gives each group member's name by id."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(ACTION_LOG_COLUMNS)
    for action in actions:
        who = [names.get(member_id, f"member {member_id}") for member_id in action.member_ids]
        if action.review_team:
            who.append(REVIEW_TEAM)
        phase = f"{action.phase.value}. {action.phase.title}" if action.phase else ""
        row = [
            action.task,
            "; ".join(who),
            phase,
            action.due_on.isoformat() if action.due_on else "",
            action.done_on.isoformat() if action.done_on else "",
        ]
        writer.writerow([_safe(text) for text in row])
    return out.getvalue()


# OWASP, "CSV Injection": a cell starting with =, +, -, @, tab or carriage
# return is run as a formula by spreadsheets; a leading apostrophe makes it
# text. Numbers are left as they are.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")


def _safe(text: str) -> str:
    if text.startswith(_FORMULA_START) and not _NUMBER.match(text):
        return "'" + text
    return text
