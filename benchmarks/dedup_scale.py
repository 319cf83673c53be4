"""Labelled record files of 10k to 100k records for the de-duplication benchmark's scaling run.

    .venv/bin/python benchmarks/dedup_scale.py [--sizes 10000 25000] [--seed 20240611]

writes `benchmarks/.work/dedup_scale/scale_<size>.csv` (git-ignored) with the
columns `record_id,group_id` (the truth) and `ENTRYTYPE, author, title,
year, journal, booktitle, volume, number, pages, abstract, doi`, and prints
what each file holds.

How a file is made, deterministically (`random.Random(f"{seed}:{size}")`):

1. **The real sets**, concatenated: every record of diabetes_asysd,
   cytology_screening, haematology and special_cases (`record_id` and
   `group_id` re-keyed with the set's prefix, so that sets stay distinct;
   `issue` is read as `number`). bibdedupe_unit_test is left out: its records
   are copies of diabetes_asysd records, which would put one paper in two
   true groups.
2. **Perturbed copies of real records**: about 30% of the real groups get one
   more record, a perturbed copy of one of its records, in the same true group.
3. **New entities** until the file has `size` records: a "fresh" record made
   from a real template - a different title (the first half of the template's
   title words and the second half of another record's), the authors of
   another record, new pages, a DOI of the template's registrant with a new
   suffix where the template had one, an abstract of sentences drawn from the
   whole pool - with the template's journal, year and volume. Each new entity
   gets as many records as a real group drawn at random has (so the share of
   duplicates stays that of the real sets, about 40%); the others are
   perturbed copies of the fresh record.

Perturbations (each copy gets at least one, drawn independently): a typo in
the title (two letters swapped or one dropped); the title in another case or
punctuation; the DOI missing or written as a URL; the journal abbreviated the
ISO 4 way or written out (a table of real pairs, else an ISO 4 word table -
"Journal of Clinical Epidemiology" <-> "J Clin Epidemiol" - with the dotted
and upper-case styles of other databases); the authors reordered (two
neighbours swapped) or written in another database's name style; the year
one off; the page range written short or long ("288-97" <-> "288-297");
the abstract missing; volume or issue missing.

Finally the rows are shuffled and given opaque record ids (`r000001`...), so
neither the order nor an id tells a tool which records belong together.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
WORK = HERE / ".work" / "dedup_scale"
DEFAULT_SEED = 20240611
SIZES = (10_000, 25_000, 50_000, 100_000)

COLUMNS = (
    "record_id",
    "group_id",
    "ENTRYTYPE",
    "author",
    "title",
    "year",
    "journal",
    "booktitle",
    "volume",
    "number",
    "pages",
    "abstract",
    "doi",
)
# Prefixes that keep the real sets apart once concatenated. bibdedupe_unit_test
# is left out: its records are copies of diabetes_asysd records (id_0000728 and
# its copies are in diabetes_asysd's group g00000), so concatenating both would
# give one paper two true groups; and its truth rests on `search_set`, which the
# scaling files do not carry.
SET_PREFIX = {
    "diabetes_asysd": "dia",
    "cytology_screening": "cyt",
    "haematology": "hae",
    "special_cases": "spc",
}
REAL_COPY_SHARE = 0.3

Row = dict[str, str]


# --- Labelled files ----------------------------------------------------------


def shared_dedup_data() -> Path:
    configured = os.environ.get("COSYNTH_SHARED_DATA")
    data = Path(configured) if configured else REPO.parent / "shared" / "data"
    return data / "dedup"


def row_key(record_id: str, row_number: int) -> str:
    """A record's key: its record_id, or `(row N)` (1-based data row) where the cell is empty.

    benchmarks/peers/bibdedupe_run.py keys rows the same way.
    """
    record_id = record_id.strip()
    return record_id if record_id else f"(row {row_number})"


@dataclass
class LabelledSet:
    """A labelled file: rows in file order, their keys, and the true group of each key."""

    name: str
    path: Path
    columns: list[str]
    rows: list[Row]
    order: list[str] = field(default_factory=list)
    truth: dict[str, str] = field(default_factory=dict)


def read_labelled(path: Path, name: str | None = None) -> LabelledSet:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        columns = list(reader.fieldnames or [])
        rows = [
            {key: value or "" for key, value in row.items() if key is not None} for row in reader
        ]
    if "record_id" not in columns or "group_id" not in columns:
        raise ValueError(f"{path}: a labelled file needs record_id and group_id columns")
    labelled = LabelledSet(name or path.stem, path, columns, rows)
    for number, row in enumerate(rows, start=1):
        key = row_key(row["record_id"], number)
        if key in labelled.truth:
            raise ValueError(f"{path}: record_id {key!r} appears twice")
        labelled.order.append(key)
        group = row["group_id"].strip()
        labelled.truth[key] = group if group else f"(alone) {key}"
    return labelled


def write_rows(path: Path, columns: Iterable[str], rows: Iterable[Row]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns), extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


# --- Journal titles: ISO 4 abbreviation and its inverse -------------------------------

# Real full titles and their ISO 4 (NLM) abbreviations.
JOURNALS = {
    "Journal of Clinical Epidemiology": "J Clin Epidemiol",
    "Current Opinion in Lipidology": "Curr Opin Lipidol",
    "Nature Reviews Nephrology": "Nat Rev Nephrol",
    "Cochrane Database of Systematic Reviews": "Cochrane Database Syst Rev",
    "Statistics in Medicine": "Stat Med",
    "New England Journal of Medicine": "N Engl J Med",
    "Diabetic Medicine": "Diabet Med",
    "Cardiovascular Diabetology": "Cardiovasc Diabetol",
    "International Journal of Cardiology": "Int J Cardiol",
    "Journal of the American College of Cardiology": "J Am Coll Cardiol",
    "Arteriosclerosis, Thrombosis, and Vascular Biology": "Arterioscler Thromb Vasc Biol",
    "Vascular Pharmacology": "Vascul Pharmacol",
    "Journal of Atherosclerosis and Thrombosis": "J Atheroscler Thromb",
    "Diabetes and Vascular Disease Research": "Diab Vasc Dis Res",
    "Current Pharmaceutical Design": "Curr Pharm Des",
    "Vascular Health and Risk Management": "Vasc Health Risk Manag",
    "Naunyn-Schmiedeberg's Archives of Pharmacology": "Naunyn Schmiedebergs Arch Pharmacol",
    "Molecular Immunology": "Mol Immunol",
    "Pediatric Nephrology": "Pediatr Nephrol",
    "Gynecologic Oncology": "Gynecol Oncol",
    "Journal of Lower Genital Tract Disease": "J Low Genit Tract Dis",
    "International Journal of Cancer": "Int J Cancer",
    "Laboratory Investigation": "Lab Invest",
    "Diagnostic Cytopathology": "Diagn Cytopathol",
    "European Journal of Gynaecological Oncology": "Eur J Gynaecol Oncol",
    "International Journal of Gynecological Cancer": "Int J Gynecol Cancer",
    "Acta Cytologica": "Acta Cytol",
    "British Journal of Cancer": "Br J Cancer",
    "Anticancer Research": "Anticancer Res",
    "Journal of the National Cancer Institute": "J Natl Cancer Inst",
    "Obstetrics and Gynecology": "Obstet Gynecol",
    "American Journal of Clinical Pathology": "Am J Clin Pathol",
    "Journal of Clinical Virology": "J Clin Virol",
    "Journal of Clinical Microbiology": "J Clin Microbiol",
    "European Heart Journal": "Eur Heart J",
    "American Journal of Obstetrics and Gynecology": "Am J Obstet Gynecol",
    "Cancer Epidemiology, Biomarkers & Prevention": "Cancer Epidemiol Biomarkers Prev",
    "Nephrology Dialysis Transplantation": "Nephrol Dial Transplant",
    "Journal of Infectious Diseases": "J Infect Dis",
    "Acta Obstetricia et Gynecologica Scandinavica": "Acta Obstet Gynecol Scand",
    "Journal of the American Society of Nephrology": "J Am Soc Nephrol",
    "Archives of Pathology & Laboratory Medicine": "Arch Pathol Lab Med",
    "Journal of Medical Virology": "J Med Virol",
    "International Journal of Gynecological Pathology": "Int J Gynecol Pathol",
    "American Journal of Transplantation": "Am J Transplant",
    "Kidney International": "Kidney Int",
    "American Journal of Kidney Diseases": "Am J Kidney Dis",
    "Nature Reviews Endocrinology": "Nat Rev Endocrinol",
    "Journal of Clinical Endocrinology and Metabolism": "J Clin Endocrinol Metab",
    "American Journal of Clinical Nutrition": "Am J Clin Nutr",
    "British Journal of Haematology": "Br J Haematol",
    "American Journal of Hematology": "Am J Hematol",
    "Annals of Hematology": "Ann Hematol",
    "Thrombosis and Haemostasis": "Thromb Haemost",
    "Annals of Hepatology": "Ann Hepatol",
    "Journal of Lipid Research": "J Lipid Res",
    "International Journal of Obesity": "Int J Obes",
    "Diabetes Research and Clinical Practice": "Diabetes Res Clin Pract",
    "Journal of Diabetes and its Complications": "J Diabetes Complications",
    "Metabolism: Clinical and Experimental": "Metabolism",
}
# ISO 4 (List of Title Word Abbreviations) forms of common title words.
WORDS = {
    "journal": "J",
    "international": "Int",
    "clinical": "Clin",
    "medicine": "Med",
    "medical": "Med",
    "research": "Res",
    "american": "Am",
    "british": "Br",
    "european": "Eur",
    "annals": "Ann",
    "archives": "Arch",
    "proceedings": "Proc",
    "society": "Soc",
    "science": "Sci",
    "sciences": "Sci",
    "scientific": "Sci",
    "nature": "Nat",
    "current": "Curr",
    "opinion": "Opin",
    "reviews": "Rev",
    "review": "Rev",
    "systematic": "Syst",
    "new": "N",
    "england": "Engl",
    "association": "Assoc",
    "college": "Coll",
    "national": "Natl",
    "academy": "Acad",
    "statistics": "Stat",
    "metabolism": "Metab",
    "nutrition": "Nutr",
    "nursing": "Nurs",
    "biology": "Biol",
    "biological": "Biol",
    "chemistry": "Chem",
    "therapeutics": "Ther",
    "therapy": "Ther",
    "experimental": "Exp",
    "molecular": "Mol",
    "infectious": "Infect",
    "diseases": "Dis",
    "disease": "Dis",
    "internal": "Intern",
    "obesity": "Obes",
    "practice": "Pract",
    "family": "Fam",
    "emergency": "Emerg",
    "critical": "Crit",
    "canadian": "Can",
    "australian": "Aust",
    "scandinavian": "Scand",
    "reports": "Rep",
    "studies": "Stud",
    "technology": "Technol",
    "education": "Educ",
    "social": "Soc",
    "behavior": "Behav",
    "behaviour": "Behav",
    "environmental": "Environ",
    "perspectives": "Perspect",
    "preventive": "Prev",
    "prevention": "Prev",
    "evidence": "Evid",
    "controlled": "Control",
    "advances": "Adv",
    "frontiers": "Front",
    "endocrine": "Endocr",
    "investigation": "Invest",
    "laboratory": "Lab",
    "hospital": "Hosp",
    "pediatric": "Pediatr",
    "pediatrics": "Pediatr",
    "paediatrics": "Paediatr",
    "obstetrics": "Obstet",
    "gynecologic": "Gynecol",
    "gynecological": "Gynecol",
    "gynaecological": "Gynaecol",
    "diagnostic": "Diagn",
    "vascular": "Vasc",
    "cardiovascular": "Cardiovasc",
    "pharmaceutical": "Pharm",
    "transplantation": "Transplant",
    "surgery": "Surg",
    "surgical": "Surg",
    "psychiatry": "Psychiatry",
    "public": "Public",
    "health": "Health",
    "heart": "Heart",
    "cancer": "Cancer",
    "kidney": "Kidney",
    "diabetes": "Diabetes",
    "diabetic": "Diabet",
    "blood": "Blood",
    "lipid": "Lipid",
    "care": "Care",
}
# Words ISO 4 leaves out of an abbreviated title.
SKIPPED_WORDS = {
    "a",
    "an",
    "of",
    "the",
    "and",
    "&",
    "-",
    "in",
    "for",
    "on",
    "et",
    "de",
    "la",
    "its",
}
# An "-ology" word the table does not know is cut the ISO 4 way: Lipidology -> Lipidol.
_OLOGY = re.compile(r"^(\w+?ol)og(?:y|ical|ic)$", re.IGNORECASE)


def iso4_abbreviation(title: str) -> str | None:
    """The ISO 4 abbreviation of a full journal title, or None when nothing would change."""
    known = {full.casefold(): short for full, short in JOURNALS.items()}
    if title.casefold() in known:
        return known[title.casefold()]
    words = [w for w in re.split(r"[\s,:]+", title) if w]
    if len(words) < 2:  # ISO 4 does not abbreviate one-word titles
        return None
    out: list[str] = []
    for word in words:
        lower = word.casefold().rstrip(".")
        if lower in SKIPPED_WORDS:
            continue
        if lower in WORDS:
            out.append(WORDS[lower])
            continue
        match = _OLOGY.match(word)
        out.append(match.group(1).capitalize() if match else word)
    abbreviation = " ".join(out)
    return abbreviation if abbreviation != title else None


def expanded_title(abbreviation: str) -> str | None:
    """The full title of an abbreviation in the table of real pairs, or None."""
    full = {short.casefold(): name for name, short in JOURNALS.items()}
    return full.get(abbreviation.casefold())


def journal_variant(journal: str, rng: random.Random) -> str | None:
    """The journal as another database writes it, or None when no variant is known."""
    journal = journal.strip()
    if not journal:
        return None
    variant = expanded_title(journal) or iso4_abbreviation(journal)
    if variant is None:
        return None
    if len(variant) < len(journal) and " " in variant:  # an abbreviation: in whose style?
        style = rng.random()
        if style < 0.25:  # Web of Science
            variant = variant.upper()
        elif style < 0.5:  # dotted, as on many publishers' pages
            variant = " ".join(f"{w}." if _is_cut(w) else w for w in variant.split())
    return variant if variant != journal else None


_CUT_WORDS = {short for full, short in WORDS.items() if short.casefold() != full} | {
    "Des",
    "Dial",
    "Genit",
    "Vascul",
    "Schmiedebergs",
}


def _is_cut(word: str) -> bool:
    """Whether an abbreviated title's word is a cut word (so dotted: "Clin."), not a whole one."""
    return word in _CUT_WORDS or (word.endswith("ol") and len(word) > 4)


# --- Authors ---------------------------------------------------------------------

_CONCATENATED = re.compile(r"(?<=\.)(?=[A-Z][^.\s])")
_INITIALS = re.compile(r"^(?:[A-Z]\.?-?){1,3}$")
_MEDLINE_NAME = re.compile(r"^[^\W\d][\w'\- ]* [A-Z]{1,3}$")


@dataclass
class AuthorList:
    names: list[str]
    separator: str  # " and ", "; ", or "" for names run together ("Adeli K.Lewis G. F.")


def split_authors(text: str) -> AuthorList:
    text = text.strip()
    if " and " in text:
        return AuthorList([n.strip() for n in text.split(" and ") if n.strip()], " and ")
    if ";" in text:
        return AuthorList([n.strip() for n in text.split(";") if n.strip()], "; ")
    pieces = [n.strip() for n in text.split(",")]
    if len(pieces) > 1 and all(_MEDLINE_NAME.match(n) for n in pieces):  # "Noris M, Remuzzi G"
        return AuthorList(pieces, ", ")
    parts = [n.strip() for n in _CONCATENATED.split(text) if n.strip()]
    return AuthorList(parts, "" if len(parts) > 1 else " and ")


def _name_parts(name: str) -> tuple[str, list[str]]:
    """(family name, initials) of one name written "Family, Given" or "Family G. M."."""
    if "," in name:
        family, given = name.split(",", 1)
        words = given.replace(".", " ").replace("-", " ").split()
        return family.strip(), [w[0].upper() for w in words if w[:1].isalpha()]
    tokens = name.split()
    for index in range(1, len(tokens)):
        if all(_INITIALS.match(t) for t in tokens[index:]):
            initials = "".join(tokens[index:]).replace(".", "").replace("-", "")
            return " ".join(tokens[:index]), list(initials)
    return name, []


def render_name(name: str, style: str) -> str:
    family, initials = _name_parts(name)
    if not initials:
        return family
    if style == "bibtex":  # "Zuna, R. E."
        return f"{family}, {' '.join(i + '.' for i in initials)}"
    if style == "medline":  # "Zuna RE"
        return f"{family} {''.join(initials)}"
    return f"{family}, {''.join(i + '.' for i in initials)}"  # RIS: "Zuna, R.E."


def authors_reordered(text: str, rng: random.Random) -> str | None:
    """Two neighbouring authors swapped (rarely the first two), in the same style."""
    authors = split_authors(text)
    if len(authors.names) < 2:
        return None
    names = list(authors.names)
    first = 0 if len(names) == 2 or rng.random() < 0.2 else rng.randrange(1, len(names) - 1)
    names[first], names[first + 1] = names[first + 1], names[first]
    return authors.separator.join(names)


def authors_restyled(text: str, rng: random.Random) -> str | None:
    """The same authors as another database writes them."""
    authors = split_authors(text)
    if not authors.names:
        return None
    style = rng.choice(["bibtex", "medline", "ris"])
    separator = {"bibtex": " and ", "medline": ", ", "ris": "; "}[style]
    variant = separator.join(render_name(name, style) for name in authors.names)
    return variant if variant != text else None


# --- Other fields ----------------------------------------------------------------

_RANGE = re.compile(r"^\s*(\d+)\s*[-\u2013]+\s*(\d+)\s*$")


def pages_variant(pages: str) -> str | None:
    """ "288-297" <-> "288-97" (MEDLINE writes the last page short)."""
    match = _RANGE.match(pages)
    if not match:
        return None
    start, end = match.groups()
    if len(end) < len(start):  # short form: write it out
        full = start[: len(start) - len(end)] + end
        return f"{start}-{full}" if int(full) >= int(start) else None
    if len(end) == len(start) and end != start:
        common = 0
        while common < len(start) - 1 and start[common] == end[common]:
            common += 1
        return f"{start}-{end[common:]}" if common else None
    return None


def title_typo(title: str, rng: random.Random) -> str | None:
    words = [(m.start(), m.end()) for m in re.finditer(r"[A-Za-z]{5,}", title)]
    if not words:
        return None
    start, end = rng.choice(words)
    at = rng.randrange(start + 1, end - 1)
    if rng.random() < 0.5:  # two letters swapped
        return title[:at] + title[at + 1] + title[at] + title[at + 2 :]
    return title[:at] + title[at + 1 :]  # one dropped


def title_restyled(title: str, rng: random.Random) -> str | None:
    choices: list[Callable[[str], str]] = [
        str.upper,
        str.lower,
        lambda t: re.sub(r"\b(\w)(\w*)", lambda m: m.group(1).upper() + m.group(2).lower(), t),
        lambda t: t[:-1] if t.endswith(".") else t + ".",
        lambda t: t.replace(": ", " - "),
        lambda t: t.replace("-", " "),
        lambda t: re.sub(r"[^\w\s]", "", t),
    ]
    variant = rng.choice(choices)(title)
    return variant if variant != title else None


def doi_variant(doi: str, rng: random.Random) -> str | None:
    if not doi.strip():
        return None
    if rng.random() < 0.65:
        return ""  # missing
    return f"https://doi.org/{doi.strip()}" if rng.random() < 0.5 else doi.strip().upper()


def year_variant(year: str, rng: random.Random) -> str | None:
    return str(int(year) + rng.choice((-1, 1))) if year.strip().isdigit() else None


# --- Building a file -------------------------------------------------------------


@dataclass
class Builder:
    rng: random.Random
    rows: list[Row] = field(default_factory=list)
    perturbations: Counter[str] = field(default_factory=Counter)
    titles: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    sentences: list[str] = field(default_factory=list)
    seen_titles: set[str] = field(default_factory=set)
    entities: int = 0

    def perturbed(self, row: Row) -> Row:
        """A copy of `row` as another database might have it (at least one change)."""
        rng = self.rng
        kinds: list[tuple[str, float, Callable[[Row], Row | None]]] = [
            ("title_typo", 0.3, lambda r: _put(r, "title", title_typo(r["title"], rng))),
            ("title_case", 0.35, lambda r: _put(r, "title", title_restyled(r["title"], rng))),
            ("doi", 0.3, lambda r: _put(r, "doi", doi_variant(r["doi"], rng))),
            ("journal", 0.4, lambda r: _put(r, "journal", journal_variant(r["journal"], rng))),
            (
                "author_order",
                0.15,
                lambda r: _put(r, "author", authors_reordered(r["author"], rng)),
            ),
            ("author_style", 0.3, lambda r: _put(r, "author", authors_restyled(r["author"], rng))),
            ("year", 0.1, lambda r: _put(r, "year", year_variant(r["year"], rng))),
            ("pages", 0.35, lambda r: _put(r, "pages", pages_variant(r["pages"]))),
            ("abstract", 0.15, lambda r: _put(r, "abstract", "" if r["abstract"] else None)),
            ("volume_issue", 0.1, lambda r: _put(r, rng.choice(("volume", "number")), "")),
        ]
        copy = dict(row)
        applied: list[str] = []
        for _ in range(20):
            for name, chance, change in kinds:
                if rng.random() < chance:
                    changed = change(copy)
                    if changed is not None:
                        copy = changed
                        applied.append(name)
            if applied:
                break
        self.perturbations.update(applied or ["none"])
        return copy

    def fresh(self, template: Row) -> Row:
        """A record of a different work, made from a real template (see the module)."""
        rng = self.rng
        row = dict(template)
        words = template["title"].split()
        for _ in range(50):
            other = rng.choice(self.titles).split()
            head = words[: max(1, len(words) // 2)]
            tail = other[len(other) // 2 :] or other
            title = " ".join(head + tail)
            if _normal(title) not in self.seen_titles:
                break
        self.seen_titles.add(_normal(title))
        row["title"] = title
        row["author"] = rng.choice(self.authors)
        start = rng.randrange(1, 2500)
        row["pages"] = f"{start}-{start + rng.randrange(2, 16)}" if template["pages"] else ""
        registrant = re.search(r"10\.\d{4,9}", template["doi"])
        row["doi"] = (
            f"{registrant.group()}/bench.{self.entities:06d}.{rng.randrange(10**6):06d}"
            if registrant
            else ""
        )
        if template["abstract"].strip() and self.sentences:
            row["abstract"] = " ".join(rng.sample(self.sentences, k=min(5, len(self.sentences))))
        return row


def _put(row: Row, column: str, value: str | None) -> Row | None:
    if value is None or value == row.get(column, ""):
        return None
    changed = dict(row)
    changed[column] = value
    return changed


def _normal(title: str) -> str:
    return re.sub(r"[^a-z0-9]", "", title.casefold())


def real_rows(data: Path) -> list[Row]:
    """Every labelled record of the shared sets, re-keyed and in the common columns."""
    rows: list[Row] = []
    for name, prefix in SET_PREFIX.items():
        labelled = read_labelled(data / f"{name}.csv", name)
        for row in labelled.rows:
            if not row["record_id"].strip():
                continue  # a row without an id cannot be re-keyed
            common = {column: row.get(column, "") for column in COLUMNS}
            if not common["number"] and row.get("issue"):
                common["number"] = row["issue"]
            common["record_id"] = f"{prefix}-{row['record_id'].strip()}"
            common["group_id"] = f"{prefix}-{row['group_id'].strip()}"
            rows.append(common)
    return rows


def build(
    size: int, *, seed: int = DEFAULT_SEED, data: Path | None = None
) -> tuple[list[Row], dict[str, Any]]:
    """The rows of a `size`-record labelled file, and what it holds."""
    rng = random.Random(f"{seed}:{size}")
    base = real_rows(data or shared_dedup_data())
    builder = Builder(rng)
    builder.titles = [r["title"] for r in base if len(r["title"].split()) >= 4]
    builder.authors = [r["author"] for r in base if r["author"].strip()]
    builder.sentences = [
        s.strip()
        for r in base
        for s in re.split(r"(?<=[.!?])\s+", r["abstract"])
        if len(s.split()) >= 6
    ]
    builder.seen_titles = {_normal(r["title"]) for r in base}

    groups: dict[str, list[Row]] = {}
    for row in base:
        groups.setdefault(row["group_id"], []).append(row)
    group_sizes = [len(members) for members in groups.values()]

    rows = list(base[:size])
    kinds: Counter[str] = Counter(real=len(rows))
    for group_id in sorted(groups):
        if len(rows) >= size:
            break
        if rng.random() < REAL_COPY_SHARE:
            copy = builder.perturbed(rng.choice(groups[group_id]))
            rows.append(copy)
            kinds["perturbed_copy_of_real"] += 1
    templates = [r for r in base if len(r["title"].split()) >= 4]
    while len(rows) < size:
        builder.entities += 1
        fresh = builder.fresh(rng.choice(templates))
        fresh["group_id"] = f"gen-{builder.entities:06d}"
        rows.append(fresh)
        kinds["new_entity"] += 1
        for _ in range(rng.choice(group_sizes) - 1):
            if len(rows) >= size:
                break
            rows.append(builder.perturbed(fresh))
            kinds["perturbed_copy_of_new"] += 1

    rng.shuffle(rows)
    for number, row in enumerate(rows, start=1):
        row["record_id"] = f"r{number:06d}"
    sizes = Counter(row["group_id"] for row in rows)
    stats: dict[str, Any] = {
        "records": len(rows),
        "entities": len(sizes),
        "duplicates_to_remove": len(rows) - len(sizes),
        "duplicate_share": round((len(rows) - len(sizes)) / len(rows), 3),
        "duplicate_pairs": sum(n * (n - 1) // 2 for n in sizes.values()),
        "largest_group": max(sizes.values()),
        "seed": seed,
        "made_of": dict(kinds),
        "perturbations": dict(sorted(builder.perturbations.items())),
    }
    return rows, stats


def build_file(
    size: int, *, seed: int = DEFAULT_SEED, out: Path = WORK
) -> tuple[Path, dict[str, Any]]:
    rows, stats = build(size, seed=seed)
    path = out / f"scale_{size}.csv"
    write_rows(path, COLUMNS, rows)
    return path, stats


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--out", type=Path, default=WORK)
    args = parser.parse_args(argv)
    for size in args.sizes:
        path, stats = build_file(size, seed=args.seed, out=args.out)
        print(path.relative_to(REPO) if path.is_relative_to(REPO) else path)
        print(json.dumps(stats, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
