"""The error figures the page shows, once: API field, label, unit, and which way is worse.

The API sends fractions (0.05 = 5 %) and a ratio for MASE; people read percentages, so the
conversion to display units happens here and everything downstream works in display units.
"""

from dataclasses import dataclass

from monitoring.explanations import FIGURE_MEANINGS


@dataclass(frozen=True)
class Measure:
    """One error figure; `rank_key` orders series worst first (higher key = worse)."""

    field: str  # name in the API's answers
    label: str
    percent: bool  # shown in percent (the API's fraction x 100); else a plain ratio
    signed: bool = False  # bias: the size of the value is what is bad, in either direction
    target: float | None = None  # coverage: the honest value; further below it is worse

    @property
    def unit_label(self) -> str:
        return f"{self.label} (%)" if self.percent else self.label

    @property
    def meaning(self) -> str:
        return FIGURE_MEANINGS[self.label]

    def display(self, fraction: float | None) -> float | None:
        """The API's value in display units (None stays None)."""
        if fraction is None:
            return None
        return fraction * 100 if self.percent else fraction

    def badness(self, shown: float) -> float:
        """How bad a value in display units is, for ranking: larger is worse."""
        if self.signed:
            return abs(shown)
        if self.target is not None:
            return self.target - shown
        return shown

    def text(self, fraction: float | None) -> str:
        shown = self.display(fraction)
        if shown is None:
            return "–"
        if self.percent:
            return f"{shown:+.2f} %" if self.signed else f"{shown:.2f} %"
        return f"{shown:.2f}"


MAPE = Measure("mape", "MAPE", percent=True)
WAPE = Measure("wape", "WAPE", percent=True)
BIAS = Measure("bias", "Bias", percent=True, signed=True)
MASE = Measure("mase", "MASE", percent=False)
COVERAGE_80 = Measure("coverage_80", "Coverage 80 %", percent=True, target=80.0)
COVERAGE_95 = Measure("coverage_95", "Coverage 95 %", percent=True, target=95.0)

ALL_MEASURES = (WAPE, MAPE, BIAS, MASE, COVERAGE_80, COVERAGE_95)
HOURLY_MEASURES = (WAPE, MAPE, BIAS)  # what /monitoring/hourly has per hour
THRESHOLDED = frozenset({MAPE.field, WAPE.field, BIAS.field})  # compared with the page's threshold (%)
BY_FIELD = {measure.field: measure for measure in ALL_MEASURES}
BY_LABEL = {measure.label: measure for measure in ALL_MEASURES}
