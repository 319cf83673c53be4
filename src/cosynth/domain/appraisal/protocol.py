"""The appraisal protocol: which instrument, which scoring rule, how many appraisers.

Set before appraisal starts and locked once the first judgement is recorded;
a change after that is an amendment with its reason, kept as a new version
(as screening protocols are: PRISMA 2020 item 24c asks reviews to report
amendments).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from cosynth.domain.appraisal.instruments import Instrument, Rule
from cosynth.domain.appraisal.scoring import ScoringRule


@dataclass(frozen=True, slots=True)
class AppraisalProtocol:
    """`instrument` is None until the lead chooses one; it is the chosen file's own version."""

    instrument: Instrument | None = None
    scoring: ScoringRule = field(default_factory=ScoringRule)
    appraisers_required: int = 2
    blinded: bool = True
    version: int = 0
    amendment: str = ""


@dataclass(frozen=True, slots=True)
class AppraisalProtocolChange:
    """What a lead asked to change; None leaves a setting as it is.

    Choosing another instrument starts from the rule its file suggests, then
    applies whatever else was asked for; a new version of the same instrument
    keeps the rule in force.
    """

    instrument: Instrument | None = None
    rule: Rule | None = None
    threshold: int | None = None
    points: tuple[tuple[str, int], ...] | None = None
    critical: tuple[str, ...] | None = None
    appraisers_required: int | None = None
    blinded: bool | None = None

    def applied_to(self, protocol: AppraisalProtocol, suggested: ScoringRule) -> AppraisalProtocol:
        """`suggested` is the new instrument's own rule (used only when the instrument changes)."""
        scoring = protocol.scoring
        instrument = protocol.instrument
        if self.instrument is not None and self.instrument != protocol.instrument:
            # A new version of the same instrument keeps the review's rule.
            if protocol.instrument is None or self.instrument.id != protocol.instrument.id:
                scoring = suggested
            instrument = self.instrument
        updates = {
            name: value
            for name in ("rule", "threshold", "points", "critical")
            if (value := getattr(self, name)) is not None
        }
        scoring = replace(scoring, **updates)
        return replace(
            protocol,
            instrument=instrument,
            scoring=scoring,
            appraisers_required=(
                self.appraisers_required
                if self.appraisers_required is not None
                else protocol.appraisers_required
            ),
            blinded=self.blinded if self.blinded is not None else protocol.blinded,
        )
