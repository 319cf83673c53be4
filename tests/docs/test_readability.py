"""The advisers' pages are in plain English: Flesch reading ease of at least 60 on each.

60 is "plain English" on Flesch's scale (60-70: easily understood by
13- to 15-year-olds); DESIGN.md rule 7 holds lay members first-class. The
score is measured on the words a reader reads: the Markdown's marks, link
targets, image files and code are stripped first.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

textstat = pytest.importorskip("textstat", reason="install cosynth[docs] for the docs tests")

ADVISERS = Path(__file__).resolve().parents[2] / "docs" / "advisers"
PLAIN_ENGLISH = 60.0


def plain_text(markdown: str) -> str:
    """The words of a Markdown page as a reader meets them."""
    text = re.sub(r"<!--.*?-->", " ", markdown, flags=re.DOTALL)
    text = re.sub(r"```.*?```", " ", text, flags=re.DOTALL)
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", " ", text)  # images: the picture, not its file
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # links: their words
    text = re.sub(r"`([^`]*)`", r"\1", text)
    text = re.sub(r"^\s{0,3}(#{1,6}|>|[-*+]|\d+\.)\s+", "", text, flags=re.MULTILINE)
    text = re.sub(r"[*_]{1,2}([^*_]+)[*_]{1,2}", r"\1", text)
    # A list item or heading without a full stop still ends a sentence for a reader.
    lines = [line.strip() for line in text.splitlines()]
    return " ".join(
        line if line.endswith((".", "?", "!", ":")) else f"{line}." for line in lines if line
    )


def adviser_pages() -> list[Path]:
    return sorted(ADVISERS.glob("*.md"))


def test_it_finds_the_advisers_pages() -> None:
    names = {page.name for page in adviser_pages()}
    assert {"index.md", "full-text.md", "what-we-found.md", "my-involvement.md"} <= names


def test_it_strips_the_markdown_before_measuring() -> None:
    text = plain_text("## A heading\n\nSee [the guide](https://example.org/a-long-url.html).\n")
    assert text == "A heading. See the guide."
    assert "example" not in plain_text("![a picture](img/example.png)")


@pytest.mark.parametrize("page", adviser_pages(), ids=lambda page: page.name)
def test_it_keeps_each_advisers_page_in_plain_english(page: Path) -> None:
    score = textstat.flesch_reading_ease(plain_text(page.read_text(encoding="utf-8")))
    assert score >= PLAIN_ENGLISH, (
        f"docs/advisers/{page.name} reads at Flesch {score:.0f}; advisers' pages need "
        f"{PLAIN_ENGLISH:.0f} or more: shorter sentences and shorter words."
    )
