"""Reading a labelled review for simulation, and each ugly file's plain error."""

from __future__ import annotations

from pathlib import Path

import pytest

from cosynth.errors import ImportFileError
from cosynth.ranking import read_labelled_dataset


def _write(tmp_path: Path, text: str, name: str = "review.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_it_reads_titles_abstracts_keywords_and_labels(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "record_id,Title,abstract,keywords,label_included\n"
        '1,Insulin pumps,"First line\nsecond line",Diabetes; Insulin,1\n'
        "2,Knee surgery,,,0\n"
        "3,Asthma,Inhalers,,False\n"
        "4,Metformin,Glucose,,yes\n\n",
    )
    dataset = read_labelled_dataset(path)
    assert dataset.name == "review"
    assert dataset.titles == ("Insulin pumps", "Knee surgery", "Asthma", "Metformin")
    assert dataset.abstracts[0] == "First line\nsecond line"
    assert dataset.keywords == ("Diabetes; Insulin", "", "", "")
    assert dataset.labels == (True, False, False, True)
    assert dataset.n_included == 2
    assert len(dataset) == 4


def test_it_reads_a_file_without_abstracts_or_keywords(tmp_path: Path) -> None:
    dataset = read_labelled_dataset(_write(tmp_path, "title,label_included\nA,1\nB,0\n"))
    assert dataset.abstracts == ("", "")
    assert dataset.keywords == ("", "")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "review.csv: the file is empty"),
        ("  \n\n", "review.csv: the file is empty"),
        ("title,abstract\nA,B\n", "review.csv, line 1: there is no 'label_included' column.*"
                                  "the columns are 'title', 'abstract'"),
        ("record_id,label_included\n1,1\n2,0\n", "neither a 'title' nor an 'abstract'"),
        ("title,label_included\nA,1\nB,2\n", "line 3: column 'label_included' is '2'; "
                                             "it must be 1 \\(included\\) or 0"),
        ('title,abstract,label_included\nA,"two\nlines",1\nB,x,\n',
         "line 4: column 'label_included' is empty"),
        ("title,label_included\nA,0.5\n", "line 2: .* is '0.5'"),
        ("title,label_included\n", "a header but no records"),
        ("title,label_included\nA,1\nB,1\n", "every record is labelled included"),
        ("title,label_included\nA,0\nB,no\n", "no record is labelled included"),
    ],
)  # fmt: skip
def test_it_explains_what_is_wrong_with_a_bad_file(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ImportFileError, match=message):
        read_labelled_dataset(_write(tmp_path, text))


def test_it_explains_a_missing_file_a_folder_and_a_wrong_encoding(tmp_path: Path) -> None:
    with pytest.raises(ImportFileError, match=r"missing\.csv: there is no such file"):
        read_labelled_dataset(tmp_path / "missing.csv")
    with pytest.raises(ImportFileError, match="a folder"):
        read_labelled_dataset(tmp_path)
    latin = tmp_path / "latin.csv"
    latin.write_bytes("title,label_included\nCaf\xe9,1\n".encode("latin-1"))
    with pytest.raises(ImportFileError, match=r"latin\.csv: the file is not UTF-8"):
        read_labelled_dataset(latin)
