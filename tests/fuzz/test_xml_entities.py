"""Every reader that parses XML refuses entity declarations: no billion laughs, no local files.

EndNote XML exports, Word transcripts and Excel workbooks are XML (the last
two inside a ZIP package); an ASReview project may carry an EndNote XML
dataset. A file that declares entities is refused at once with a message
that says why, within the time box, and nothing from /etc/passwd reaches a
record or a message.
"""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from fuzz.targets import ENDNOTE_XML, _docx_transcript, _xlsx

from cosynth.errors import ImportFileError
from cosynth.formats.base import Document
from cosynth.formats.endnote_xml import EndnoteXmlReader
from cosynth.formats.registry import detect_reader, get_reader
from cosynth.formats.transcripts import read_transcript
from tests.fuzz.timebox import time_box

# Nine levels of ten: 10^9 "lol"s, about 3 GB, if anything expanded it.
LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{level} "' + f"&lol{'' if level == 1 else level - 1};" * 10 + '">'
        for level in range(1, 10)
    )
    + "]>"
)
LAUGH = "&lol9;"
EXTERNAL = '<!DOCTYPE xml [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
SECRET = "&secret;"
HOSTILE = [(LAUGHS, LAUGH), (EXTERNAL, SECRET)]
IDS = ["billion laughs", "external entity"]


def with_declaration(xml: str, doctype: str, reference: str, *, anchor: str) -> str:
    """`xml` with `doctype` after its XML declaration and `reference` before `anchor`."""
    end = xml.index("?>") + 2 if xml.startswith("<?xml") else 0
    assert anchor in xml
    return xml[:end] + doctype + xml[end:].replace(anchor, reference + anchor, 1)


def repacked(package: bytes, member: str, change: str) -> bytes:
    """The Office package with `member` rewritten by `change` (doctype, reference)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as source, zipfile.ZipFile(buffer, "w") as out:
        for info in source.infolist():
            body = source.read(info.filename)
            if info.filename == member:
                body = change.encode() if isinstance(change, str) else body
            out.writestr(info, body)
    return buffer.getvalue()


def member_text(package: bytes, member: str) -> str:
    with zipfile.ZipFile(io.BytesIO(package)) as source:
        return source.read(member).decode()


def refused(run: object) -> ImportFileError:
    with time_box(), pytest.raises(ImportFileError) as caught:
        run()  # type: ignore[operator]
    assert "root:" not in caught.value.message
    return caught.value


@pytest.mark.parametrize(("doctype", "reference"), HOSTILE, ids=IDS)
def test_it_refuses_entities_in_an_endnote_xml_export(doctype: str, reference: str) -> None:
    xml = with_declaration(ENDNOTE_XML.decode(), doctype, reference, anchor="Caring at home")
    doc = Document("export.xml", xml.encode())

    error = refused(lambda: list(EndnoteXmlReader().read(doc)))
    assert "declares XML entities" in error.message
    # The same when cosynth picks the reader itself, as `cosynth import` does.
    refused(lambda: list(detect_reader(doc).read(doc)))


@pytest.mark.parametrize(("doctype", "reference"), HOSTILE, ids=IDS)
def test_it_refuses_entities_in_a_word_transcript(doctype: str, reference: str) -> None:
    package = _docx_transcript()
    xml = with_declaration(
        member_text(package, "word/document.xml"), doctype, reference, anchor="Thank you"
    )
    hostile = repacked(package, "word/document.xml", xml)

    error = refused(lambda: read_transcript("roundtable.docx", hostile))
    assert "'word/document.xml'" in error.message
    assert "declares XML entities" in error.message


@pytest.mark.parametrize(("doctype", "reference"), HOSTILE, ids=IDS)
def test_it_refuses_entities_in_an_excel_workbook(doctype: str, reference: str) -> None:
    package = _xlsx([["Title", "Year"], ["Caring at home", 2020]])
    member = "xl/worksheets/sheet1.xml"
    xml = with_declaration(member_text(package, member), doctype, reference, anchor="Caring")
    doc = Document("export.xlsx", repacked(package, member, xml))

    error = refused(lambda: list(get_reader("xlsx").read(doc)))
    assert "declares XML entities" in error.message


def test_it_refuses_a_declaration_written_in_utf16_in_a_workbook() -> None:
    package = _xlsx([["Title", "Year"], ["Caring at home", 2020]])
    member = "xl/worksheets/sheet1.xml"
    xml = member_text(package, member)
    body = xml[xml.index("?>") + 2 :] if xml.startswith("<?xml") else xml
    utf16 = '<?xml version="1.0" encoding="UTF-16"?>' + EXTERNAL + body
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as source, zipfile.ZipFile(buffer, "w") as out:
        for info in source.infolist():
            data = source.read(info.filename)
            out.writestr(info, utf16.encode("utf-16") if info.filename == member else data)
    doc = Document("export.xlsx", buffer.getvalue())

    error = refused(lambda: list(get_reader("xlsx").read(doc)))
    assert "declares XML entities" in error.message


@pytest.mark.parametrize(("doctype", "reference"), HOSTILE, ids=IDS)
def test_it_refuses_entities_in_an_asreview_projects_dataset(doctype: str, reference: str) -> None:
    xml = with_declaration(ENDNOTE_XML.decode(), doctype, reference, anchor="Caring at home")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as project:
        config = {"version": "1.5", "dataset_path": "carers.xml", "reviews": []}
        project.writestr("project.json", json.dumps(config))
        project.writestr("data/carers.xml", xml)
    doc = Document("carers.asreview", buffer.getvalue())

    refused(lambda: list(get_reader("asreview").read(doc)))
