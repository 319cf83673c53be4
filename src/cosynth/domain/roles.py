"""Who may do what in a review: the roles of a review team and their permissions.

Roles follow the team described in the paper's Methods: a lead who runs the
review, reviewers who screen, appraise and extract, advisers from the
co-production advisory group (service users, unpaid carers, staff) whose views
inform decisions, and observers who may only look.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    LEAD = "lead"
    REVIEWER = "reviewer"
    ADVISER = "adviser"
    OBSERVER = "observer"


class Permission(StrEnum):
    VIEW = "view"
    IMPORT = "import"
    DEDUPLICATE = "de-duplicate records"
    MANAGE_MEMBERS = "manage members"
    EDIT_PROTOCOL = "edit protocol"
    SCREEN = "screen records"
    ADVISE = "give advice on records"
    RESOLVE_CONFLICTS = "resolve screening conflicts"
    ATTACH_FULL_TEXT = "attach full texts"
    READ_AUDIT_LOG = "read the audit log"
    APPRAISE = "appraise studies"
    EXTRACT = "extract data from studies"
    SCORE_COPRODUCTION = "score the extent of co-production"
    COMMENT_ON_FORM = "comment on the extraction form"
    SYNTHESISE = "code, translate and synthesise the studies"
    # Personal data of the advisory group (application answers, access needs,
    # payments) is the lead's to keep: UK GDPR data minimisation.
    MANAGE_ADVISORY_GROUP = "manage the advisory group"
    RECORD_RESONANCE = "say how the findings match lived experience"
    # The whole review in one file: every vote unblinded, the advisory group's
    # personal data and payments, the audit log. The lead's alone.
    ARCHIVE_REVIEW = "export the whole review as an archive"


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.LEAD: frozenset(Permission) - {Permission.ADVISE},
    Role.REVIEWER: frozenset(
        {
            Permission.VIEW,
            Permission.IMPORT,
            Permission.DEDUPLICATE,
            Permission.SCREEN,
            Permission.ATTACH_FULL_TEXT,
            Permission.APPRAISE,
            Permission.EXTRACT,
            Permission.SCORE_COPRODUCTION,
            Permission.COMMENT_ON_FORM,
            Permission.SYNTHESISE,
        }
    ),
    # Advisers' views inform decisions; they are recorded as advice, not votes
    # (the paper's full-text screening: advisory-group members examined two
    # studies each, then four authors decided in the light of their views).
    # The paper's advisers co-designed the extraction tool: they comment on and
    # propose its fields, and are asked for advice, but do not appraise or score.
    # Advisers say how the findings resonate with their experience (the
    # paper's roundtable), in their own words.
    Role.ADVISER: frozenset(
        {
            Permission.VIEW,
            Permission.ADVISE,
            Permission.COMMENT_ON_FORM,
            Permission.RECORD_RESONANCE,
        }
    ),
    Role.OBSERVER: frozenset({Permission.VIEW}),
}


def may(role: Role | None, permission: Permission) -> bool:
    """True when someone with `role` (None: not a member) holds `permission`."""
    return role is not None and permission in ROLE_PERMISSIONS[role]
