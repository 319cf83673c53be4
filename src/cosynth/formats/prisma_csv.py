"""A PRISMA 2020 flow as the PRISMA2020 R package's template CSV, written and read.

The template (Haddaway et al. 2022, PRISMA2020 package, inst/extdata/PRISMA.csv)
has one row per box with the columns data, node, box, description, boxtext,
tooltips, url and n. The `data` column names the box (the keys of
`domain.prisma.Flow`) and `n` holds its number, or for the boxes that list
their parts "Label, n; Label, n" (databases, registers, reasons for
excluding reports). Rows whose `data` is NA are the diagram's title boxes.

cosynth writes every row of the template, so the file can be drawn by the R
package or its Shiny app, and reads a file typed by hand into that template
(a review done elsewhere) whole or not at all: a count that is missing,
negative or not a whole number is refused, naming the line and the column.
One row is cosynth's own: `records_imported`, the records loaded into the
screening software, written only when a flow has it (the R package ignores
rows it does not know).
"""

from __future__ import annotations

import csv
import io
import re

from cosynth.domain.prisma import BOX_NAMES, LISTS, Count, Flow
from cosynth.errors import ImportFileError

COLUMNS = ("data", "node", "box", "description", "boxtext", "tooltips", "url", "n")

# (data, node, box, description, boxtext): the template's rows in its order.
# The node and box ids are the R package's (its diagram refers to them);
# the words are PRISMA 2020's box names.
_TEMPLATE: tuple[tuple[str, str, str, str, str], ...] = (
    ("NA", "node4", "prevstud", "Grey title box; Previous studies", "Previous studies"),
    ("previous_studies", "node5", "box1", BOX_NAMES["previous_studies"], BOX_NAMES["previous_studies"]),  # noqa: E501
    ("previous_reports", "NA", "box1", BOX_NAMES["previous_reports"], BOX_NAMES["previous_reports"]),  # noqa: E501
    ("NA", "node6", "newstud", "Yellow title box; Identification of new studies via databases and registers", "Identification of new studies via databases and registers"),  # noqa: E501
    ("database_results", "node7", "box2", "Records identified from: Databases", "Databases"),
    ("database_specific_results", "NA", "box2", "Records identified from: specific databases", "Specific Databases"),  # noqa: E501
    ("register_results", "NA", "box2", "Records identified from: Registers", "Registers"),
    ("register_specific_results", "NA", "box2", "Records identified from: specific registers", "Specific Registers"),  # noqa: E501
    ("NA", "node16", "othstud", "Grey title box; Identification of new studies via other methods", "Identification of new studies via other methods"),  # noqa: E501
    ("website_results", "node17", "box11", "Records identified from: Websites", "Websites"),
    ("organisation_results", "NA", "box11", "Records identified from: Organisations", "Organisations"),  # noqa: E501
    ("citations_results", "NA", "box11", "Records identified from: Citation searching", "Citation searching"),  # noqa: E501
    ("duplicates", "node8", "box3", "Duplicate records", "Duplicate records"),
    ("excluded_automatic", "NA", "box3", "Records marked as ineligible by automation tools", "Records marked as ineligible by automation tools"),  # noqa: E501
    ("excluded_other", "NA", "box3", "Records removed for other reasons", "Records removed for other reasons"),  # noqa: E501
    ("records_imported", "NA", "NA", "Records imported for screening (cosynth's own row; not a PRISMA 2020 box)", "Records imported for screening"),  # noqa: E501
    ("records_screened", "node9", "box4", "Records screened (databases and registers)", "Records screened"),  # noqa: E501
    ("records_excluded", "node10", "box5", "Records excluded (databases and registers)", "Records excluded"),  # noqa: E501
    ("dbr_sought_reports", "node11", "box6", "Reports sought for retrieval (databases and registers)", "Reports sought for retrieval"),  # noqa: E501
    ("dbr_notretrieved_reports", "node12", "box7", "Reports not retrieved (databases and registers)", "Reports not retrieved"),  # noqa: E501
    ("other_sought_reports", "node18", "box12", "Reports sought for retrieval (other)", "Reports sought for retrieval"),  # noqa: E501
    ("other_notretrieved_reports", "node19", "box13", "Reports not retrieved (other)", "Reports not retrieved"),  # noqa: E501
    ("dbr_assessed", "node13", "box8", "Reports assessed for eligibility (databases and registers)", "Reports assessed for eligibility"),  # noqa: E501
    ("dbr_excluded", "node14", "box9", "Reports excluded (databases and registers): reasons and numbers, as Reason, n; Reason, n", "Reports excluded"),  # noqa: E501
    ("other_assessed", "node20", "box14", "Reports assessed for eligibility (other)", "Reports assessed for eligibility"),  # noqa: E501
    ("other_excluded", "node21", "box15", "Reports excluded (other): reasons and numbers, as Reason, n; Reason, n", "Reports excluded"),  # noqa: E501
    ("new_studies", "node15", "box10", "New studies included in review", "New studies included in review"),  # noqa: E501
    ("new_reports", "NA", "box10", "Reports of new included studies", "Reports of new included studies"),  # noqa: E501
    ("total_studies", "node22", "box16", "Total studies included in review", "Total studies included in review"),  # noqa: E501
    ("total_reports", "NA", "box16", "Reports of total included studies", "Reports of total included studies"),  # noqa: E501
    ("identification", "node1", "identification", "Blue identification box", "Identification"),
    ("screening", "node2", "screening", "Blue screening box", "Screening"),
    ("included", "node3", "included", "Blue included box", "Included"),
)  # fmt: skip

# Rows that carry no count: the title boxes (data "NA" in the template) and the side bands.
_TITLES = frozenset({"", "NA", "identification", "screening", "included"})
# Rows a file may leave out: older templates lack the per-database rows, and
# records_imported is cosynth's own.
_OPTIONAL = frozenset(
    {"database_specific_results", "register_specific_results", "records_imported"}
)
_WHOLE = re.compile(r"\d{1,3}(?:,\d{3})+|\d+")
# A spreadsheet runs a cell starting with one of these as a formula (OWASP, CSV injection).
_FORMULA = ("=", "+", "-", "@")


def write_flow_csv(flow: Flow, *, link: str = "prisma.html#") -> str:
    """`flow` as the R template's CSV; `url` points each box at `link` + its key."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for data, node, box, description, boxtext in _TEMPLATE:
        if data == "records_imported" and flow.records_imported is None:
            continue
        if data in _TITLES or data == "NA":
            n = "0"
        elif data in LISTS:
            n = _list_text(getattr(flow, data))
        else:
            n = str(getattr(flow, data))
        tooltip = description if node != "NA" else "NA"
        url = f"{link}{data}" if data not in _TITLES else "NA"
        writer.writerow([data, node, box, description, boxtext, tooltip, url, n])
    return out.getvalue()


def _list_text(counts: tuple[Count, ...]) -> str:
    # The template separates parts with ";" and a label from its number with
    # the last ",": a ";" inside a label would split it, so it becomes ",".
    return "; ".join(f"{_safe(count.label.replace(';', ','))}, {count.n}" for count in counts)


def _safe(label: str) -> str:
    return f"'{label}" if label.startswith(_FORMULA) else label


def read_flow_csv(filename: str, data: bytes) -> Flow:
    """A flow typed into the R template, every count checked; nothing is kept from a bad file."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(
            filename, "the file is not UTF-8 text. Save it from the spreadsheet as CSV UTF-8."
        ) from error
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise ImportFileError(filename, "the file is empty; start from `cosynth prisma template`.")
    header = [cell.strip() for cell in rows[0]]
    for needed in ("data", "n"):
        if needed not in header:
            raise ImportFileError(
                filename,
                f'there is no "{needed}" column. The first line must name the PRISMA2020 '
                f"template's columns: {','.join(COLUMNS)}.",
                line=1,
            )
    key_at, n_at = header.index("data"), header.index("n")
    values: dict[str, object] = {}
    seen: dict[str, int] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        key = row[key_at].strip() if key_at < len(row) else ""
        if key in _TITLES:
            continue
        if key not in BOX_NAMES:
            raise ImportFileError(
                filename,
                f'column "data": "{key}" is not a box of the PRISMA 2020 template '
                f"(e.g. database_results, duplicates, records_screened).",
                line=number,
            )
        if key in seen:
            raise ImportFileError(
                filename,
                f'column "data": {key} is given twice (first on line {seen[key]}); keep one.',
                line=number,
            )
        seen[key] = number
        cell = row[n_at].strip() if n_at < len(row) else ""
        where = f'column "n" ({key}, "{BOX_NAMES[key]}")'
        if key in LISTS:
            values[key] = _parts(filename, number, where, cell)
        else:
            values[key] = _whole(filename, number, where, cell)
    missing = [key for key in BOX_NAMES if key not in seen and key not in _OPTIONAL]
    if missing:
        raise ImportFileError(
            filename,
            'column "data": there is no row for '
            + ", ".join(f'{key} ("{BOX_NAMES[key]}")' for key in missing)
            + ". Every box of the template needs its row; write 0 where there is nothing.",
        )
    return Flow(**values)  # type: ignore[arg-type]


def _whole(filename: str, line: int, where: str, cell: str) -> int:
    if not cell or cell.upper() == "NA":
        raise ImportFileError(
            filename, f"{where} is empty; write the number, or 0 where there is nothing.", line=line
        )
    if cell.startswith("-") and _WHOLE.fullmatch(cell[1:]):
        raise ImportFileError(
            filename, f"{where} is {cell}; a count cannot be negative.", line=line
        )
    if not _WHOLE.fullmatch(cell):
        raise ImportFileError(
            filename, f'{where} is "{cell}", which is not a whole number.', line=line
        )
    return int(cell.replace(",", ""))


def _parts(filename: str, line: int, where: str, cell: str) -> tuple[Count, ...]:
    """ "Label, n; Label, n" as counts; a bare number is a total with no labels given."""
    if not cell or cell in {"0", "NA"}:
        return ()
    if _WHOLE.fullmatch(cell) or (cell.startswith("-") and _WHOLE.fullmatch(cell[1:])):
        return (Count("", _whole(filename, line, where, cell)),)
    counts = []
    for part in cell.split(";"):
        if not part.strip():
            continue
        label, comma, n = part.rpartition(",")
        label = label.strip()
        if label.startswith("'") and label[1:].startswith(_FORMULA):
            label = label[1:]
        if not comma or not label:
            raise ImportFileError(
                filename,
                f'{where}: "{part.strip()}" needs a label and a number, as "Reason, 12"; '
                "separate the parts with ;.",
                line=line,
            )
        counts.append(Count(label, _whole(filename, line, f'{where}, "{label}"', n.strip())))
    return tuple(counts)
