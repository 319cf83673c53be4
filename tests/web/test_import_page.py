"""alice uploads the team's database exports; a file that is not one lands nowhere."""

from __future__ import annotations

import io
import re
from importlib.resources import files

from cosynth.services.imports import import_file
from cosynth.services.records import list_sources
from cosynth.services.workspace import Workspace
from cosynth.web.uploads import display_name, safe_name
from tests.conftest import Team

SAMPLES = files("cosynth") / "samples"
PUBMED = (SAMPLES / "PubMed_example.txt").read_bytes()
ONE_GOOD_ONE_EMPTY = b"""TY  - JOUR
TI  - Peer support and co-delivery in integrated mental health care
AU  - Flora, N.
PY  - 2021
ER  -

TY  - JOUR
PY  - 2020
ER  -
"""


def import_url(team: Team) -> str:
    return f"/reviews/{team.review_id}/import"


def upload(visitor, team: Team, *named: tuple[str, bytes], **fields: str):
    visitor.get(import_url(team))
    chosen = [(io.BytesIO(data), name) for name, data in named]
    return visitor.post(import_url(team), {"files": chosen, **fields})


def sources(workspace: Workspace, team: Team) -> list:
    with workspace.transaction("alice") as tx:
        return list_sources(tx, team.review_id)


def test_it_imports_a_real_pubmed_export_and_shows_the_report(visit, workspace, team: Team) -> None:
    alice = visit("alice")
    done = upload(
        alice,
        team,
        ("PubMed_example.txt", PUBMED),
        database="MEDLINE",
        platform="PubMed",
        searched_on="2024-03-31",
    )
    assert done.status_code == 303
    assert done.headers["Location"] == import_url(team)
    page = alice.get(import_url(team)).get_data(as_text=True)
    (source,) = sources(workspace, team)
    assert source.database == "MEDLINE" and source.searched_on.isoformat() == "2024-03-31"
    assert "Just imported" in page and "PubMed_example.txt" in page
    counts = f"{source.records_imported} records read, {source.records_imported} imported, "
    assert source.records_imported > 0 and counts + "0 skipped." in page
    report_url = f"/reviews/{team.review_id}/sources/{source.id}"
    assert f'href="{report_url}"' in page
    report = alice.get(report_url).get_data(as_text=True)
    assert "Import report" in report and "searched on 2024-03-31" in report
    again = alice.get(import_url(team)).get_data(as_text=True)
    assert "Just imported" not in again  # the report of an upload shows once; the list stays
    assert f'href="{report_url}"' in again


def test_it_lists_each_skipped_record_with_its_line_and_reason(visit, team: Team) -> None:
    alice = visit("alice")
    upload(alice, team, ("scopus.ris", ONE_GOOD_ONE_EMPTY))
    page = alice.get(import_url(team)).get_data(as_text=True)
    assert "2 records read, 1 imported, 1 skipped." in page
    assert re.search(r"<td>7</td><td>[^<]+</td>", page), page


def test_it_refuses_a_file_that_is_not_an_export_and_nothing_lands(
    visit, workspace, team: Team
) -> None:
    alice = visit("alice")
    refused = upload(alice, team, ("notes.txt", b"Search notes: remember to ask pat\n"))
    assert refused.status_code == 303
    page = alice.get(import_url(team)).get_data(as_text=True)
    assert "Not imported: notes.txt: cosynth cannot tell what format this is" in page
    assert "No files have been imported yet." in page
    assert sources(workspace, team) == []


def test_it_imports_the_good_file_of_two_and_names_the_bad_one(
    visit, workspace, team: Team
) -> None:
    alice = visit("alice")
    upload(alice, team, ("photo.png", b"\x89PNG\r\n\x1a\n\x00\x00"), ("medline.txt", PUBMED))
    page = alice.get(import_url(team)).get_data(as_text=True)
    assert "Not imported: photo.png: this is a PNG image" in page
    assert [source.filename for source in sources(workspace, team)] == ["medline.txt"]


def test_it_says_plainly_when_the_same_file_comes_twice(visit, workspace, team: Team) -> None:
    alice = visit("alice")
    upload(alice, team, ("pubmed.txt", PUBMED))
    upload(alice, team, ("pubmed-again.txt", PUBMED))
    page = alice.get(import_url(team)).get_data(as_text=True)
    assert "this exact file was already imported into this review" in page
    upload(alice, team, ("pubmed-again.txt", PUBMED), again="1")
    assert len(sources(workspace, team)) == 2


def test_it_refuses_a_search_date_that_is_not_a_date(visit, workspace, team: Team) -> None:
    alice = visit("alice")
    upload(alice, team, ("pubmed.txt", PUBMED), searched_on="last Tuesday")
    page = alice.get(import_url(team)).get_data(as_text=True)
    assert "is not a date like 2022-03-31; nothing was imported." in page
    assert sources(workspace, team) == []


def test_it_asks_for_a_file_when_none_is_chosen(visit, team: Team) -> None:
    alice = visit("alice")
    alice.get(import_url(team))
    alice.post(import_url(team), {"database": "MEDLINE"})
    assert "Choose one or more export files" in alice.get(import_url(team)).get_data(as_text=True)


def test_it_keeps_a_file_name_to_show_and_never_as_a_path(visit, workspace, team: Team) -> None:
    alice = visit("alice")
    upload(alice, team, ("../../etc/cinahl.ris", ONE_GOOD_ONE_EMPTY))
    (source,) = sources(workspace, team)
    assert source.filename == "cinahl.ris"
    assert display_name("C:\\fakepath\\Search 1\u0000.ris") == "Search 1.ris"
    assert safe_name("../../.bashrc") == "bashrc"
    assert safe_name("Résumé des études.ris") == "Resume_des_etudes.ris"
    assert display_name("") == safe_name("/") == "upload"


def test_it_refuses_an_upload_over_the_size_limit(app, visit, workspace, team: Team) -> None:
    app.config["MAX_CONTENT_LENGTH"] = 1024
    alice = visit("alice")
    refused = upload(alice, team, ("pubmed.txt", PUBMED))
    assert refused.status_code == 413
    assert "That file is too large to upload." in refused.get_data(as_text=True)
    assert sources(workspace, team) == []


def test_it_shows_pat_the_files_but_not_the_upload_form(visit, team: Team) -> None:
    alice, pat = visit("alice"), visit("pat")
    upload(alice, team, ("pubmed.txt", PUBMED))
    page = pat.get(import_url(team)).get_data(as_text=True)
    assert "pubmed.txt" in page and "Upload export files" not in page
    assert upload(pat, team, ("more.txt", PUBMED + b"\n")).status_code == 403


def test_it_keeps_mallory_out(visit, workspace, team: Team) -> None:
    with workspace.transaction("alice") as tx:
        source_id = import_file(tx, team.review_id, "pubmed.txt", PUBMED).source.id
    mallory = visit("mallory")
    assert mallory.get(import_url(team)).status_code == 403
    assert mallory.get(f"/reviews/{team.review_id}/sources/{source_id}").status_code == 403
    assert upload(mallory, team, ("more.txt", PUBMED + b"\n")).status_code == 403
