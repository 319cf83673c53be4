"""The team synthesises in the browser: phases, reading and coding, the grid, translating, themes.

alice leads, bob codes and translates, pat reads (and may not change the
synthesis), mallory sees nothing. Each form is tried the right way, the
wrong way (the reason beside the field, what was typed kept) and by someone
who may not use it.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date

import pytest
from markupsafe import escape

from cosynth.domain.quotes import QuoteKind
from cosynth.domain.synthesis import ConceptSource, ConstructOrder, Relation
from cosynth.services import (
    coding,
    concepts,
    fulltext,
    quotes,
    roundtables,
    studies,
    themes,
    translation,
)
from cosynth.services.worked_example import build_worked_example, load_worked_example
from cosynth.services.worked_synthesis import build_worked_synthesis, load_worked_synthesis
from cosynth.services.workspace import Workspace
from tests.conftest import Team
from tests.services.screening_helpers import import_search, include_at_full_text
from tests.services.test_fulltext import study_pdf

LISTENED = "We were listened to at last."
STRUCTURE = "Services were organised around the person, not the building."
PAGE_TWO = "Carers said the new team knew them by name."


@dataclass(frozen=True)
class Studies:
    """Two included studies, each with a quote; the first with a full text of two pages."""

    record_ids: tuple[int, int]
    labels: tuple[str, str]
    quote_ids: tuple[int, int]
    report_id: int


def two_quoted_studies(workspace: Workspace, team: Team) -> Studies:
    ids = import_search(workspace, team)
    include_at_full_text(workspace, team, [ids[0], ids[1]])
    rid = team.review_id
    with workspace.transaction("bob") as tx:
        report = fulltext.attach_report(
            tx, rid, ids[0], "carers.pdf", study_pdf("Background.", PAGE_TWO)
        )
        first = quotes.add_quote(tx, rid, ids[0], LISTENED, kind=QuoteKind.FIRST_ORDER, page="241")
        second = quotes.add_quote(tx, rid, ids[1], STRUCTURE, kind=QuoteKind.SECOND_ORDER, page="7")
        labels = (
            studies.get_study(tx, rid, ids[0]).label,
            studies.get_study(tx, rid, ids[1]).label,
        )
    return Studies((ids[0], ids[1]), labels, (first.id, second.id), report.id)


@pytest.fixture
def visit(visit):  # type: ignore[no-untyped-def]
    """The conftest's browser with a page opened: its form token is the session's own."""

    def open_as(who: str):  # type: ignore[no-untyped-def]
        visitor = visit(who)
        visitor.get("/")
        return visitor

    return open_as


@pytest.fixture
def quoted(app, workspace: Workspace, team: Team) -> Studies:  # type: ignore[no-untyped-def]
    return two_quoted_studies(workspace, team)


def text_of(response) -> str:  # type: ignore[no-untyped-def]
    return str(response.get_data(as_text=True))


def base(team: Team) -> str:
    return f"/reviews/{team.review_id}/synthesis"


def study_concept(workspace: Workspace, team: Team, record_id: int, name: str) -> int:
    with workspace.transaction("bob") as tx:
        return concepts.add_concept(
            tx, team.review_id, name, order=ConstructOrder.FIRST, source=ConceptSource.STUDY,
            record_id=record_id,
        ).id  # fmt: skip


# The seven phases


def test_it_starts_records_and_completes_a_phase(visit, team: Team) -> None:
    alice = visit("alice")
    page = text_of(alice.get(base(team)))
    assert "Reading the studies" in page and "Expressing the synthesis" in page
    url = f"{base(team)}/phases/3"
    started = alice.post(url, {"kind": "started"})
    assert started.status_code == 303 and started.headers["Location"].endswith("#phase-3")
    assert alice.post(url, {"kind": "produced", "text": "Quotes coded in NVivo"}).status_code == 303
    assert alice.post(url, {"kind": "completed"}).status_code == 303
    page = text_of(alice.get(base(team)))
    assert "Quotes coded in NVivo" in page and "Reopen this phase" in page
    assert page.count("completed") >= 2  # the status and the log's entry


def test_it_says_beside_the_phase_what_it_produced_is_missing(visit, team: Team) -> None:
    bob = visit("bob")
    refused = bob.post(f"{base(team)}/phases/4", {"kind": "produced", "text": "  "})
    page = text_of(refused)
    assert refused.status_code == 422 and 'id="phase-4-error"' in page
    assert "Say what the phase produced" in page
    twice = bob.post(f"{base(team)}/phases/4", {"kind": "completed"})
    assert twice.status_code == 422 and 'id="phase-4-error"' in text_of(twice)
    assert bob.post(f"{base(team)}/phases/8", {"kind": "started"}).status_code == 404


def test_it_lets_pat_read_the_phases_but_not_log_them(visit, team: Team) -> None:
    pat = visit("pat")
    page = text_of(pat.get(base(team)))
    assert "Getting started" in page and "Start this phase" not in page
    assert pat.post(f"{base(team)}/phases/1", {"kind": "started"}).status_code == 403
    assert visit("mallory").get(base(team)).status_code == 403


# Reading and coding


def test_it_codes_a_selection_of_a_quote_into_a_new_concept(
    visit, team: Team, quoted: Studies
) -> None:
    bob = visit("bob")
    url = f"{base(team)}/reading/studies/{quoted.record_ids[0]}"
    page = text_of(bob.get(url))
    assert f'data-passage="quote-{quoted.quote_ids[0]}"' in page
    assert f'data-passage="report-{quoted.report_id}-2"' in page  # the full text's second page
    # What coding.js sends for "listened to" selected with the mouse.
    start = LISTENED.index("listened to")
    coded = bob.post(url, {
        "where": f"quote-{quoted.quote_ids[0]}", "start": str(start), "end": str(start + 11),
        "excerpt": "listened to", "concept": "new", "name": "Being heard", "order": "first-order",
    })  # fmt: skip
    assert coded.status_code == 303, text_of(coded)
    page = text_of(bob.get(url))
    assert "Being heard" in page and "<q>listened to</q>" in page
    listing = text_of(bob.get(f"{base(team)}/reading"))
    assert "1 concepts, 1 codings" in listing


def test_it_codes_words_pasted_without_javascript_on_a_page_of_the_full_text(
    visit, workspace: Workspace, team: Team, quoted: Studies
) -> None:
    concept_id = study_concept(workspace, team, quoted.record_ids[0], "Known by name")
    bob = visit("bob")
    url = f"{base(team)}/reading/studies/{quoted.record_ids[0]}"
    coded = bob.post(url, {
        "where": f"report-{quoted.report_id}", "excerpt": "knew them by name",
        "concept": str(concept_id), "start": "", "end": "",
    })  # fmt: skip
    assert coded.status_code == 303, text_of(coded)
    page = text_of(bob.get(url))
    assert "<q>knew them by name</q>" in page


def test_it_keeps_the_pasted_words_and_says_beside_the_form_they_were_not_found(
    visit, workspace: Workspace, team: Team, quoted: Studies
) -> None:
    concept_id = study_concept(workspace, team, quoted.record_ids[0], "Known by name")
    bob = visit("bob")
    url = f"{base(team)}/reading/studies/{quoted.record_ids[0]}"
    missed = bob.post(url, {
        "where": f"quote-{quoted.quote_ids[0]}", "excerpt": "words nobody wrote",
        "concept": str(concept_id),
    })  # fmt: skip
    page = text_of(missed)
    assert missed.status_code == 422 and 'id="coding-error"' in page
    assert "words nobody wrote</textarea>" in page
    nothing = bob.post(url, {"where": f"quote-{quoted.quote_ids[0]}", "concept": "new"})
    assert nothing.status_code == 422 and "Select the words to code" in text_of(nothing)


def test_it_withdraws_a_coding_and_lets_pat_read_but_not_code(
    visit, workspace: Workspace, team: Team, quoted: Studies
) -> None:
    concept_id = study_concept(workspace, team, quoted.record_ids[0], "Being heard")
    bob = visit("bob")
    url = f"{base(team)}/reading/studies/{quoted.record_ids[0]}"
    form = {
        "where": f"quote-{quoted.quote_ids[0]}",
        "excerpt": LISTENED,
        "concept": str(concept_id),
    }
    assert bob.post(url, form).status_code == 303
    pat = visit("pat")
    page = text_of(pat.get(url))
    assert "listened to at last</q>" in page and "Code these words" not in page
    assert pat.post(url, form).status_code == 403
    coding_id = page.split("/codings/")[1].split("/withdraw")[0] if "/withdraw" in page else None
    assert coding_id is None  # pat has no withdraw buttons
    page = text_of(bob.get(url))
    coding_id = page.split("/reading/codings/")[1].split("/withdraw")[0]
    withdrawn = bob.post(
        f"{base(team)}/reading/codings/{coding_id}/withdraw",
        {"record": str(quoted.record_ids[0])},
    )
    assert withdrawn.status_code == 303 and withdrawn.headers["Location"].startswith(url)
    assert "listened to at last</q>" not in text_of(bob.get(url))
    assert visit("mallory").get(url).status_code == 403


def test_it_codes_a_turn_of_the_roundtable_transcript_into_the_groups_own_concept(
    visit, workspace: Workspace, team: Team, quoted: Studies
) -> None:
    with workspace.transaction("alice") as tx:
        held = roundtables.add_roundtable(
            tx, team.review_id, held_on=date(2023, 5, 10), minutes=90, title="The roundtable"
        )
        roundtables.import_transcript(
            tx, team.review_id, held.id, "roundtable.txt",
            b"Priya: Carers keep the service going.\nTom: Nobody asks us how.\n",
        )  # fmt: skip
    bob = visit("bob")
    assert "The roundtable" in text_of(bob.get(f"{base(team)}/reading"))
    url = f"{base(team)}/reading/roundtables/{held.id}"
    page = text_of(bob.get(url))
    assert "Nobody asks us how." in page and "Priya" in page
    transcript = page.split('data-passage="transcript-')[1].split("-")[0]
    coded = bob.post(url, {
        "where": f"transcript-{transcript}", "excerpt": "Carers keep the service going",
        "concept": "new", "name": "Carers as co-deliverers", "order": "first-order",
    })  # fmt: skip
    assert coded.status_code == 303, text_of(coded)
    page = text_of(bob.get(url))
    assert "Carers as co-deliverers" in page and "<q>Carers keep the service going</q>" in page
    with workspace.transaction("bob") as tx:
        [concept] = concepts.concepts(tx, team.review_id, source=ConceptSource.ROUNDTABLE)
    assert concept.roundtable_id == held.id


# The grid, how the studies relate, the order of translation


def test_it_shows_and_downloads_the_concept_grid(
    visit, workspace: Workspace, team: Team, quoted: Studies
) -> None:
    study_concept(workspace, team, quoted.record_ids[0], "Being heard")
    study_concept(workspace, team, quoted.record_ids[1], "Person-centred structure")
    alice = visit("alice")
    page = text_of(alice.get(f"{base(team)}/grid"))
    assert 'id="concept-grid"' in page and "Being heard" in page
    assert all(label in page for label in quoted.labels)
    download = alice.get(f"{base(team)}/files/concept-grid.csv")
    assert download.status_code == 200 and download.headers["Content-Type"].startswith("text/csv")
    cells = [cell for row in csv.reader(io.StringIO(text_of(download))) for cell in row]
    assert "Being heard" in cells and "Person-centred structure" in cells
    xlsx = alice.client.get(f"{base(team)}/files/concept-grid.xlsx")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"  # a zip, as XLSX files are
    assert alice.get(f"{base(team)}/files/concept-grid.pdf").status_code == 404


def test_it_records_how_the_studies_relate_and_refuses_it_without_a_relation(
    visit, team: Team, quoted: Studies
) -> None:
    bob = visit("bob")
    url = f"{base(team)}/relating"
    refused = bob.post(url, {"rationale": "They say the same of carers"})
    page = text_of(refused)
    assert refused.status_code == 422 and 'id="relating-error"' in page
    assert '<fieldset aria-describedby="relating-error">' in page
    assert "They say the same of carers</textarea>" in page
    judged = bob.post(url, {"relation": "reciprocal", "rationale": "They say the same of carers"})
    assert judged.status_code == 303
    page = text_of(bob.get(f"{base(team)}/grid"))
    assert "They say the same of carers" in page and "all the studies" in page
    assert visit("pat").post(url, {"relation": "reciprocal", "rationale": "x"}).status_code == 403


def test_it_sets_the_order_of_translation_by_hand(visit, team: Team, quoted: Studies) -> None:
    first, second = quoted.record_ids
    alice = visit("alice")
    url = f"{base(team)}/order"
    bad = alice.post(
        url, {"basis": "by hand", f"position-{first}": "two", f"position-{second}": "1"}
    )
    assert bad.status_code == 422 and 'id="order-error"' in text_of(bad)
    done = alice.post(url, {
        "basis": "by hand", f"position-{first}": "2", f"position-{second}": "1",
        "rationale": "The richer study first",
    })  # fmt: skip
    assert done.status_code == 303, text_of(done)
    page = text_of(alice.get(f"{base(team)}/grid"))
    order = page.split('id="translation-order"')[1].split("</ol>")[0]
    assert order.index(quoted.labels[1]) < order.index(quoted.labels[0])
    assert "In use: by hand." in page and "The richer study first" in page


# The translation board


def test_it_translates_two_studies_concepts_reciprocally_keeping_their_own_terms(
    visit, workspace: Workspace, team: Team, quoted: Studies
) -> None:
    heard = study_concept(workspace, team, quoted.record_ids[0], "Being heard")
    valued = study_concept(workspace, team, quoted.record_ids[1], "Feeling valued")
    bob = visit("bob")
    page = text_of(bob.get(f"{base(team)}/translate"))
    assert f'id="board-{heard}"' in page and f'id="board-{valued}"' in page
    url = f"{base(team)}/translations"
    nameless = bob.post(url, {"relation": "reciprocal", "concept": [str(heard), str(valued)]})
    page = text_of(nameless)
    assert nameless.status_code == 422 and 'id="translate-error"' in page
    assert f'id="board-{heard}" name="concept" value="{heard}" checked' in page
    done = bob.post(url, {
        "relation": "reciprocal", "concept": [str(heard), str(valued)], "into": "new",
        "into_name": "Being valued as a person",
    })  # fmt: skip
    assert done.status_code == 303, text_of(done)
    page = text_of(bob.get(f"{base(team)}/translate"))
    assert "Being valued as a person" in page
    assert (
        f"{quoted.labels[0]}: Being heard" in page and f"{quoted.labels[1]}: Feeling valued" in page
    )
    assert visit("pat").post(url, {"relation": "reciprocal"}).status_code == 403


def test_it_asks_a_refutational_translation_for_its_account_and_logs_alternatives(
    visit, workspace: Workspace, team: Team, quoted: Studies
) -> None:
    heard = study_concept(workspace, team, quoted.record_ids[0], "Being heard")
    ignored = study_concept(workspace, team, quoted.record_ids[1], "Being ignored")
    bob = visit("bob")
    form = {
        "relation": "refutational",
        "concept": [str(heard), str(ignored)],
        "explanation": "different contexts",
    }
    unexplained = bob.post(f"{base(team)}/translations", form)
    assert unexplained.status_code == 422 and 'id="translate-error"' in text_of(unexplained)
    form["account"] = "One team was new; the other had worked together for years."
    assert bob.post(f"{base(team)}/translations", form).status_code == 303
    page = text_of(bob.get(f"{base(team)}/translate"))
    assert "different contexts" in page and "worked together for years" in page

    empty = bob.post(f"{base(team)}/alternatives", {"text": ""})
    assert empty.status_code == 422 and 'id="alternative-error"' in text_of(empty)
    logged = bob.post(f"{base(team)}/alternatives", {"text": "Perhaps it is the funding"})
    assert logged.status_code == 303
    assert "Perhaps it is the funding" in text_of(bob.get(f"{base(team)}/translate"))


# The theme tree


def test_it_builds_a_theme_tree_with_its_support_and_downloads_it(
    visit, workspace: Workspace, team: Team, quoted: Studies
) -> None:
    heard = study_concept(workspace, team, quoted.record_ids[0], "Being heard")
    bob = visit("bob")
    url = f"{base(team)}/reading/studies/{quoted.record_ids[0]}"
    coded = bob.post(
        url, {"where": f"quote-{quoted.quote_ids[0]}", "excerpt": LISTENED, "concept": str(heard)}
    )
    assert coded.status_code == 303
    alice = visit("alice")
    tree = f"{base(team)}/themes"
    assert alice.post(tree, {"name": "Design", "level": "category"}).status_code == 303
    with workspace.transaction("alice") as tx:
        design = themes.themes(tx, team.review_id)[0].id
    orphan = alice.post(tree, {"name": "Collaboration", "level": "theme"})
    assert orphan.status_code == 422 and 'id="theme-error"' in text_of(orphan)
    assert 'value="Collaboration"' in text_of(orphan)
    added = alice.post(tree, {"name": "Collaboration", "level": "theme", "parent": str(design)})
    assert added.status_code == 303
    theme_id = int(added.headers["Location"].rsplit("#theme-", 1)[1])
    linked = alice.post(f"{tree}/{theme_id}/concepts", {"concept": str(heard)})
    assert linked.status_code == 303
    none = alice.post(f"{tree}/{theme_id}/concepts", {})
    assert none.status_code == 422 and 'id="link-error"' in text_of(none)
    assert alice.post(f"{tree}/{theme_id}", {"name": "Working together"}).status_code == 303
    # The whole form as a browser sends it: the name changed, the rest as it was.
    editing = text_of(alice.get(f"{tree}/{theme_id}"))
    assert 'value="Working together"' in editing
    assert f'<option value="{design}" selected>' in editing
    whole = {"name": "Working together", "description": "", "parent": str(design), "position": "1"}
    assert alice.post(f"{tree}/{theme_id}", whole).status_code == 303
    bad = alice.post(f"{tree}/{theme_id}", {**whole, "position": "first"})
    assert bad.status_code == 422 and 'id="revise-error"' in text_of(bad)

    page = text_of(alice.get(tree))
    assert "Working together" in page and "Design" in page
    assert f"listened to at last</q> [{quoted.labels[0]}: 241]" in page
    markdown = alice.get(f"{base(team)}/files/theme-tree.md")
    assert markdown.status_code == 200 and "Working together" in text_of(markdown)
    data = json.loads(text_of(alice.get(f"{base(team)}/files/theme-tree.json")))
    assert "Working together" in json.dumps(data)

    assert alice.post(f"{tree}/{theme_id}/concepts/{heard}/unlink").status_code == 303
    assert "Being heard" not in text_of(alice.get(f"{tree}/{theme_id}")).split("Link concepts")[0]
    assert visit("pat").post(tree, {"name": "Mine", "level": "category"}).status_code == 403
    assert visit("pat").get(f"{tree}/{theme_id}").status_code == 200


def test_it_records_a_line_of_argument_statement(visit, team: Team, quoted: Studies) -> None:
    alice = visit("alice")
    url = f"{base(team)}/interpretations"
    untitled = alice.post(url, {"title": "", "statement": "Co-delivery sustains the service"})
    assert untitled.status_code == 422 and 'id="interpretation-error"' in text_of(untitled)
    done = alice.post(
        url, {"title": "Co-delivery", "statement": "Co-delivery sustains the service"}
    )
    assert done.status_code == 303
    assert "Co-delivery sustains the service" in text_of(alice.get(f"{base(team)}/themes"))


def test_it_serves_the_synthesis_figures_as_svg_and_nothing_else(
    visit, workspace: Workspace, team: Team, quoted: Studies
) -> None:
    alice = visit("alice")
    page = text_of(alice.get(f"{base(team)}/themes"))
    names = [part.split('"')[0] for part in page.split("/synthesis/figures/")[1:]]
    for name in names:
        figure = alice.get(f"{base(team)}/figures/{name}")
        assert figure.status_code == 200 and figure.mimetype == "image/svg+xml"
        assert figure.data.lstrip().startswith((b"<svg", b"<?xml"))
    assert alice.get(f"{base(team)}/figures/passwords.txt").status_code == 404
    assert (
        visit("mallory").get(f"{base(team)}/figures/{(names or ['x.svg'])[0]}").status_code == 403
    )


def test_it_shows_relation_words_in_plain_english(visit, team: Team, quoted: Studies) -> None:
    page = text_of(visit("bob").get(f"{base(team)}/grid"))
    for relation in Relation:
        assert f'value="{relation.value}"' in page
    assert "they contradict one another" in page


# Translations keep the studies' words: the services' own check, as the board shows it.
def test_it_refuses_to_translate_one_study_with_itself(
    visit, workspace: Workspace, team: Team, quoted: Studies
) -> None:
    one = study_concept(workspace, team, quoted.record_ids[0], "Being heard")
    two = study_concept(workspace, team, quoted.record_ids[0], "Being listened to")
    bob = visit("bob")
    refused = bob.post(f"{base(team)}/translations", {
        "relation": "reciprocal", "concept": [str(one), str(two)], "into_name": "Heard",
    })  # fmt: skip
    assert refused.status_code == 422 and 'id="translate-error"' in text_of(refused)
    with workspace.transaction("bob") as tx:
        assert translation.translations(tx, team.review_id) == []


# The worked example: the paper's synthesis, browsed and exported.


def test_it_lets_the_team_browse_and_export_the_papers_synthesis(
    visit, workspace: Workspace, team: Team
) -> None:
    example = load_worked_example()
    refs = build_worked_example(workspace, team.review_id, example)
    build_worked_synthesis(workspace, team.review_id, refs, load_worked_synthesis(example))
    alice = visit("alice")
    for page in ("", "/reading", "/grid", "/translate", "/themes"):
        assert alice.get(f"{base(team)}{page}").status_code == 200, page
    tree = text_of(alice.get(f"{base(team)}/themes"))
    assert "Design" in tree and "Transformation" in tree and "Co-delivery" in tree
    with workspace.transaction("alice") as tx:
        nodes = themes.theme_tree(tx, team.review_id)
    theme_id = nodes[0].children[0].theme.id
    assert alice.get(f"{base(team)}/themes/{theme_id}").status_code == 200
    grid = text_of(alice.get(f"{base(team)}/files/concept-grid.csv"))
    assert len(grid.splitlines()) > 5
    for name in ("theme-tree.md", "theme-tree.json"):
        assert alice.get(f"{base(team)}/files/{name}").status_code == 200
    names = [part.split('"')[0] for part in tree.split("/synthesis/figures/")[1:]]
    assert len(names) == 3
    for name in names:
        figure = alice.client.get(f"{base(team)}/figures/{name}")
        assert figure.status_code == 200 and figure.mimetype == "image/svg+xml"
    with workspace.transaction("alice") as tx:
        coded = next(c for c in coding.codings(tx, team.review_id) if c.record_id is not None)
    reading = text_of(alice.get(f"{base(team)}/reading/studies/{coded.record_id}"))
    assert f"<q>{escape(coded.passage.excerpt)}</q>" in reading
    findings = text_of(visit("pat").get(f"/reviews/{team.review_id}/findings"))
    assert "Does this match your experience?" in findings and "Co-delivery" in findings
