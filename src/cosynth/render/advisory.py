"""The advisory group's records as text: a member's statement, the GRIPP2 short form.

Pure: domain values in, text out.
"""

from __future__ import annotations

from cosynth.domain.advisory import Gripp2Report, Statement, format_hours, format_money


def statement_text(found: Statement) -> str:
    """A plain statement to send a member (what they gave, what it is worth, paid, owed)."""
    money = found.currency
    lines = [f"Statement for {found.member.name}", ""]
    for line in found.lines:
        rate = (
            f"at {format_money(line.rate.pence_per_hour, money)} an hour"
            if line.rate
            else "no rate set for this date"
        )
        lines.append(
            f"{line.entry.worked_on.isoformat()}  {line.entry.activity}: "
            f"{format_hours(line.entry.minutes)} h {rate} = {format_money(line.pence, money)}"
        )
    lines.append("")
    for payment in found.payments:
        ref = f" ({payment.reference})" if payment.reference else ""
        lines.append(
            f"{payment.paid_on.isoformat()}  paid {format_money(payment.pence, money)}{ref}"
        )
    lines += [
        "",
        f"Hours: {format_hours(found.minutes)}",
        f"Earned: {format_money(found.earned, money)}",
        f"Paid: {format_money(found.paid, money)}",
        f"Owed: {format_money(found.owed, money)}",
    ]
    return "\n".join(lines) + "\n"


def gripp2_markdown(report: Gripp2Report, *, title: str = "GRIPP2 short form") -> str:
    """The short form as Markdown: one section per item, a missing item marked as such
    with the form's prompt, so the lead sees what is still to write (Staniszewska et al.
    2017, BMJ 358:j3453)."""
    lines = [f"# {title}", ""]
    for item in report.items:
        lines += [f"## {item.number}. {item.title}", ""]
        if item.missing:
            lines += [f"*Not yet reported.* {item.text}", ""]
            continue
        lines += [*item.text.splitlines(), ""]
    return "\n".join(lines).rstrip("\n") + "\n"
