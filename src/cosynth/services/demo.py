"""The demo review: the paper's question, its team, and one real export of each kind.

Built by `cosynth demo` and `make demo` from sample files shipped inside the
package (see `cosynth/samples/ORIGIN.md`), so a fresh clone needs nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files

from cosynth.domain.review import ImportReport, Review
from cosynth.domain.roles import Role
from cosynth.services import accounts
from cosynth.services.imports import import_file
from cosynth.services.question import set_question
from cosynth.services.reviews import add_member, create_review
from cosynth.services.workspace import Tx, Workspace

# The review question and title of Conquer et al. 2024 (Int J Integr Care 24(1):17), Table 1.
TITLE = "Transforming integrated care through co-production: a meta-ethnography"
QUESTION = (
    "How has co-production with service users, unpaid carers and members of staff "
    "impacted the design and transformation of integrated health and care services?"
)

# The paper's Table 1: its SPICES headings and the review's concept under each.
SPICES: dict[str, str] = {
    "setting": "Health and care services within integrated care",
    "perspective": "Service users, unpaid carers, members of staff",
    "intervention": "Co-production",
    "comparison": "Hypothetically, prior to/without co-production",
    "evaluation": "The design and transformation of service provision",
    "social_science_method": "Qualitative and mixed method",
}

# The team personas used across cosynth's docs and tests.
LEAD = "alice"
TEAM: tuple[tuple[str, str, Role], ...] = (
    ("bob", "Bob (reviewer)", Role.REVIEWER),
    ("carol", "Carol (reviewer)", Role.REVIEWER),
    ("pat", "Pat (public adviser)", Role.ADVISER),
)


# Demo passwords, printed by `cosynth demo`: the demo serves on loopback only,
# for one person trying the team's day in two browsers side by side.
DEMO_PASSWORDS: dict[str, str] = {
    "alice": "lead the review",
    "bob": "screen with care",
    "carol": "second pair of eyes",
    "pat": "plain english please",
}


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    role: Role


@dataclass(frozen=True)
class SampleExport:
    filename: str
    database: str
    platform: str


SAMPLES: tuple[SampleExport, ...] = (
    SampleExport("Ovid_ris_example.ris", "CAB Abstracts", "Ovid"),
    SampleExport("ASP_ris_example.ris", "Academic Search Premier", "EBSCOhost"),
    SampleExport("PubMed_example.txt", "MEDLINE", "PubMed"),
    SampleExport("Scopus_bib_example.bib", "Scopus", "Elsevier"),
    SampleExport("WoS_ciw_example.ciw", "Web of Science Core Collection", "Clarivate"),
)


def build_demo_review(tx: Tx) -> tuple[Review, list[ImportReport]]:
    """Create the demo review as `tx.actor` (its lead) with the paper's SPICES question,
    add the team, import the samples."""
    review = create_review(tx, TITLE, question=QUESTION, display_name="Alice (lead)")
    set_question(tx, review.id, "spices", SPICES, text=QUESTION)
    for username, name, role in TEAM:
        add_member(tx, review.id, username, role, display_name=name)
    samples = files("cosynth") / "samples"
    reports = [
        import_file(
            tx,
            review.id,
            sample.filename,
            (samples / sample.filename).read_bytes(),
            database=sample.database,
            platform=sample.platform,
        )
        for sample in SAMPLES
    ]
    return review, reports


WORKED_EXAMPLE_TITLE = f"{TITLE} (the worked example, finished)"


def build_worked_example_review(tx: Tx) -> Review:
    """Create the review the worked example is carried through, with the same team.

    It is a review of its own, apart from the demo review's sample exports, so
    that its PRISMA flow is the example's alone and adds up (DESIGN.md rule 2),
    while the demo review keeps records for a newcomer to screen.
    """
    review = create_review(tx, WORKED_EXAMPLE_TITLE, question=QUESTION, display_name="Alice (lead)")
    set_question(tx, review.id, "spices", SPICES, text=QUESTION)
    for username, name, role in TEAM:
        add_member(tx, review.id, username, role, display_name=name)
    return review


def create_demo_accounts(workspace: Workspace) -> list[DemoLogin]:
    """Web accounts for the demo team, with the demo passwords; pat in adviser mode.

    Adviser mode is a person's own setting (plain words, one question a page,
    larger targets), so it is switched on as pat, in a transaction of pat's own.
    """
    roles = {LEAD: Role.LEAD, **{username: role for username, _name, role in TEAM}}
    names = {LEAD: "Alice (lead)", **{username: name for username, name, _role in TEAM}}
    with workspace.transaction(LEAD) as tx:
        for username, password in DEMO_PASSWORDS.items():
            accounts.create_user(tx, username, password, display_name=names[username])
    advisers = [username for username, role in roles.items() if role is Role.ADVISER]
    for adviser in advisers:
        with workspace.transaction(adviser) as tx:
            accounts.set_preferences(tx, adviser_mode=True)
    return [DemoLogin(name, DEMO_PASSWORDS[name], roles[name]) for name in DEMO_PASSWORDS]
