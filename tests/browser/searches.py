"""A search export the browser stories screen: titles and abstracts a reviewer could judge."""

from __future__ import annotations

TOPICS = (
    "co-producing discharge planning with unpaid carers",
    "peer support workers in integrated mental health teams",
    "experience-based co-design of a community care hub",
    "service users on the boards of integrated care systems",
    "statin adherence in older adults",
    "hospital car parking charges and staff satisfaction",
)
SETTINGS = ("in Scotland", "in rural Wales", "in Ontario", "in New South Wales")


def search_export(n: int) -> bytes:
    """A RIS export of `n` records with titles and abstracts a reviewer could judge."""
    chunks = []
    for i in range(n):
        topic, setting = TOPICS[i % len(TOPICS)], SETTINGS[i % len(SETTINGS)]
        chunks.append(
            f"TY  - JOUR\nTI  - Study {i + 1}: {topic} {setting}\nAU  - Author{i}, A.\n"
            f"AU  - Writer{i}, B.\nPY  - {2005 + i % 18}\nJO  - Journal of Integrated Care\n"
            f"AB  - We interviewed people about {topic} {setting}. Themes were "
            f"trust, shared decisions and time.\nKW  - co-production\nKW  - integrated care\n"
            "ER  - \n"
        )
    return "\n".join(chunks).encode()
