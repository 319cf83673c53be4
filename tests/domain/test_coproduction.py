"""Co-production scales as data, and the score a scheme makes of a study's levels."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from cosynth.domain.coproduction import (
    Combination,
    Rating,
    ScoringScheme,
    link_analysis,
    parse_scale,
    reorder_by_score,
    score_study,
)
from cosynth.errors import DataFileError, InputError

GOOD = """\
[scale]
id = "our-ladder"
name = "Our ladder"
version = "1"
credit = "The review team"
source = "Made up for a test"

[[levels]]
rank = 1
label = "Told"
definition = "Told about it."

[[levels]]
rank = 2
label = "Asked"
definition = "Asked about it."

[[levels]]
rank = 3
label = "Leading"
optional = true
definition = "Leading it."
"""


def test_it_reads_a_scale_bottom_to_top() -> None:
    scale = parse_scale(GOOD, "ours.toml")
    assert [level.label for level in scale.levels] == ["Told", "Asked", "Leading"]
    assert scale.levels[0].source == "Made up for a test"
    assert scale.top() == 2
    assert scale.top(["leading"]) == 3
    assert scale.level("asked").rank == 2
    assert scale.level(1).label == "Told"


def test_it_refuses_an_optional_level_that_is_switched_off() -> None:
    scale = parse_scale(GOOD, "ours.toml")
    with pytest.raises(InputError, match="Leading is switched off"):
        scale.level("Leading")


@pytest.mark.parametrize(
    ("change", "line", "words"),
    [
        (('rank = 2\nlabel = "Asked"', 'rank = 1\nlabel = "Asked"'), 14, "must be rank 2"),
        (('label = "Asked"', 'label = "told"'), 15, "used twice"),
        (('definition = "Asked about it."\n', ""), 13, "'definition' in level 2 is missing"),
        (('id = "our-ladder"', 'id = "Our Ladder"'), 2, "lower-case"),
        (('label = "Told"', 'lable = "Told"'), 10, "unknown key 'lable'"),
        (("optional = true", 'optional = "yes"'), 21, "true or false"),
        (('version = "1"', "version = 1"), 4, "'version' in the [scale] table must be text"),
        (('label = "Told"', 'label = "Told'), 10, "not valid TOML"),
    ],
)
def test_it_names_the_file_and_line_of_a_mistake(
    change: tuple[str, str], line: int, words: str
) -> None:
    text = GOOD.replace(*change, 1)
    with pytest.raises(DataFileError) as caught:
        parse_scale(text, "ours.toml")
    assert caught.value.filename == "ours.toml"
    assert caught.value.line == line, caught.value.message
    assert words in caught.value.message
    assert caught.value.message.startswith(f"ours.toml, line {line}: ")


def test_it_wants_optional_levels_at_the_top() -> None:
    text = GOOD.replace('rank = 1\nlabel = "Told"', 'rank = 1\nlabel = "Told"\noptional = true')
    with pytest.raises(DataFileError, match="optional levels go at the top") as caught:
        parse_scale(text, "ours.toml")
    assert caught.value.line == 14


def test_it_wants_a_scale_table_and_levels() -> None:
    with pytest.raises(DataFileError, match=r"no \[scale\] table"):
        parse_scale("[[levels]]\nrank = 1\n", "x.toml")
    with pytest.raises(DataFileError, match="has no levels"):
        parse_scale(GOOD.split("[[levels]]", maxsplit=1)[0], "x.toml")


AT = datetime(2024, 3, 8, tzinfo=UTC)
SCHEME = ScoringScheme(scales=("tlap-ladder", "nhse-spectrum"))


def rating(record_id: int, scale: str, rank: int, rater: str, *, consensus: bool = False) -> Rating:
    return Rating(record_id, scale, rank, f"level {rank}", rater, consensus, "", AT)


def test_it_sums_the_agreed_levels_into_the_score() -> None:
    ratings = [
        rating(1, "tlap-ladder", 7, "bob"),
        rating(1, "tlap-ladder", 7, "carol"),
        rating(1, "nhse-spectrum", 5, "bob"),
        rating(1, "nhse-spectrum", 4, "carol"),
    ]
    undecided = score_study(SCHEME, 1, "Eriksson 2019", ratings)
    assert undecided.score is None
    assert undecided.disagreements == ("nhse-spectrum",)
    assert undecided.rater_score(SCHEME, "bob") == 12
    assert undecided.rater_score(SCHEME, "carol") == 11
    settled = score_study(
        SCHEME,
        1,
        "Eriksson 2019",
        [*ratings, rating(1, "nhse-spectrum", 5, "alice", consensus=True)],
    )
    assert settled.score == 12
    assert settled.disagreements == ()


def test_it_combines_by_the_declared_rule() -> None:
    ranks = {"tlap-ladder": 6, "nhse-spectrum": 3}
    assert SCHEME.combine(ranks) == 9
    weighted = ScoringScheme(scales=SCHEME.scales, weights=(("tlap-ladder", 2),))
    assert weighted.combine(ranks) == 15
    weakest = ScoringScheme(scales=SCHEME.scales, combination=Combination.MINIMUM)
    assert weakest.combine(ranks) == 3
    with pytest.raises(InputError, match="needs every scale"):
        SCHEME.combine({"tlap-ladder": 6})


def test_it_reorders_highest_first_and_links_scores_to_categories() -> None:
    def study(record_id: int, label: str, tlap: int, nhse: int) -> object:
        return score_study(
            SCHEME,
            record_id,
            label,
            [
                rating(record_id, "tlap-ladder", tlap, "bob"),
                rating(record_id, "nhse-spectrum", nhse, "bob"),
            ],
        )

    scores = [
        study(1, "Lalani 2019", 4, 2),
        study(2, "Eriksson 2019", 7, 5),
        study(3, "Bruns 2021", 7, 4),
    ]
    ordered = reorder_by_score(scores)  # type: ignore[arg-type]
    assert [s.label for s in ordered] == ["Eriksson 2019", "Bruns 2021", "Lalani 2019"]
    links = link_analysis(
        "model",
        ordered,
        {1: ["public committee"], 2: ["co-delivery", "peer support"], 3: ["co-delivery"]},
    )
    assert [row.category for row in links.rows] == [
        "peer support",
        "co-delivery",
        "public committee",
    ]
    assert links.rows[1].scores == (12, 11)
    assert links.rows[1].ranks == (1, 2)
