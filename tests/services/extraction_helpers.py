"""The extraction form the extraction and quote stories are told with, and two included studies."""

from __future__ import annotations

from cosynth.domain.extraction import ExtractionForm
from cosynth.formats.extraction import read_form
from cosynth.services import extraction
from cosynth.services.workspace import Workspace
from tests.conftest import Team
from tests.services.screening_helpers import import_search, include_at_full_text

FORM_TOML = """\
title = "Co-production in integrated care: data extraction"

[[fields]]
key = "country"
label = "Country where the study took place"
kind = "country"
required = true

[[fields]]
key = "design"
label = "Study design"
kind = "single_choice"
choices = ["qualitative", "mixed methods", "case study"]
required = true

[[fields]]
key = "models"
label = "Co-production models"
kind = "multiple_choice"
choices = ["co-design", "co-delivery", "peer support", "public committee"]

[[fields]]
key = "service_users"
label = "Number of service users involved"
kind = "number"

[[fields]]
key = "started"
label = "When co-production started"
kind = "date"

[[fields]]
key = "equity"
label = "Evidence of equity considered"
kind = "yes_no_unclear"

[[fields]]
key = "aims"
label = "Aims of integrated care"
kind = "long_text"
help = "In the authors' words where possible."

[[fields]]
key = "participants"
label = "Who took part"
kind = "group"

[[fields.subfields]]
key = "group"
label = "Group"
kind = "single_choice"
choices = ["service users", "unpaid carers", "staff"]
required = true

[[fields.subfields]]
key = "number"
label = "How many"
kind = "number"
"""


def the_form() -> ExtractionForm:
    return read_form(FORM_TOML, "form.toml")


def two_studies(workspace: Workspace, team: Team) -> list[int]:
    """Every record of the search; the first two are included studies. alice's form is version 1."""
    ids = import_search(workspace, team)
    include_at_full_text(workspace, team, [ids[0], ids[1]])
    with workspace.transaction(team.lead) as tx:
        extraction.save_form(tx, team.review_id, the_form())
    return ids
