"""The paper's search as a cosynth strategy (Conquer et al. 2024, Search strategy and
Table 1): SPICES blocks, terms "derived from SPICES and guidance from CAG members",
published March 2012 to March 2022. The terms are cosynth's example, not the
paper's Appendix A."""

from __future__ import annotations

from datetime import date
from itertools import count

from cosynth.domain.search import (
    Block,
    DateLimits,
    Field,
    Strategy,
    Suggester,
    Term,
    TermKind,
    Vocabulary,
)

TI_AB = frozenset({Field.TITLE, Field.ABSTRACT})
TI_AB_KW = frozenset({Field.TITLE, Field.ABSTRACT, Field.KEYWORDS})
PAT = Suggester(group_member_id=1, name="Pat")
_ids = count(1)


def word(
    text: str,
    *,
    truncated: bool = False,
    fields: frozenset[Field] = TI_AB,
    suggested_by: Suggester | None = None,
) -> Term:
    return Term(
        next(_ids),
        0,
        text,
        TermKind.KEYWORD,
        truncated=truncated,
        fields=fields,
        suggested_by=suggested_by,
    )


def phrase(
    text: str,
    *,
    truncated: bool = False,
    proximity: int | None = None,
    fields: frozenset[Field] = TI_AB,
    suggested_by: Suggester | None = None,
) -> Term:
    return Term(
        next(_ids),
        0,
        text,
        TermKind.PHRASE,
        truncated=truncated,
        proximity=proximity,
        fields=fields,
        suggested_by=suggested_by,
    )


def mesh(text: str, *, explode: bool = True) -> Term:
    return Term(next(_ids), 0, text, TermKind.HEADING, vocabulary=Vocabulary.MESH, explode=explode)


def cinahl(text: str, *, explode: bool = True) -> Term:
    return Term(
        next(_ids), 0, text, TermKind.HEADING, vocabulary=Vocabulary.CINAHL, explode=explode
    )


def block(label: str, key: str, *terms: Term, exclude: bool = False) -> Block:
    return Block(next(_ids), label, key, exclude=exclude, terms=terms)


PAPER_LIMITS = DateLimits(date(2012, 3, 1), date(2022, 3, 31))


def paper_strategy() -> Strategy:
    return Strategy(
        review_id=1,
        blocks=(
            block(
                "Setting",
                "setting",
                mesh("Delivery of Health Care, Integrated"),
                cinahl("Health Care Delivery, Integrated"),
                phrase("integrated care", fields=TI_AB_KW),
                phrase("integrated health and social care", fields=TI_AB_KW),
                phrase("integrated care system", fields=TI_AB_KW),
            ),
            block(
                "Perspective",
                "perspective",
                phrase("service user"),
                phrase("service users"),
                word("carer", truncated=True),
                phrase("unpaid carers", suggested_by=PAT),
                word("staff"),
            ),
            block(
                "Intervention",
                "intervention",
                mesh("Patient Participation"),
                word("coproduc", truncated=True, fields=TI_AB_KW),
                word("co-production", fields=TI_AB_KW),
                word("co-design", fields=TI_AB_KW),
                phrase("experience based co-design", fields=TI_AB_KW, suggested_by=PAT),
            ),
            block(
                "Evaluation",
                "evaluation",
                word("transform", truncated=True),
                phrase("service design"),
                phrase("service improvement", proximity=3),
            ),
            block(
                "Social science method",
                "social_science_method",
                mesh("Qualitative Research", explode=False),
                cinahl("Qualitative Studies"),
                word("qualitative"),
                phrase("mixed methods"),
                word("interview", truncated=True),
                phrase("focus groups"),
            ),
        ),
        limits=PAPER_LIMITS,
    )
