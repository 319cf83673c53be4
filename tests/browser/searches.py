"""What the browser stories screen and read: a search export, and a study's full text."""

from __future__ import annotations

from fpdf import FPDF

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


def study_pdf(*pages: str) -> bytes:
    """A small PDF with text on each page, as a publisher's full text would have."""
    pdf = FPDF()
    pdf.set_font("helvetica", size=11)
    for text in pages or ("Background: integrated care in Scotland.", "Carers: we were heard."):
        pdf.add_page()
        pdf.multi_cell(0, 6, text)
    return bytes(pdf.output())
