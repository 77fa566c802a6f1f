"""The error figures the page shows, once: API field, label, unit, and which way is worse.

The API sends fractions (0.05 = 5 %) and a ratio for MASE; people read percentages, so the
conversion to display units happens here and everything downstream works in display units.
`label` is the figure's English name and its key (widgets, link, catalogue message id); `name(_)`
is what a viewer reads, in the page's language.
"""

from dataclasses import dataclass

from dashboard_common.i18n import ENGLISH, N_, Translate

from monitoring.explanations import FIGURE_MEANINGS
from monitoring.language import DASH, decimal, percent


@dataclass(frozen=True)
class Measure:
    """One error figure; `rank_key` orders series worst first (higher key = worse)."""

    field: str  # name in the API's answers
    label: str  # the English name: a key, and the message id of its translations
    percent: bool  # shown in percent (the API's fraction x 100); else a plain ratio
    signed: bool = False  # bias: the size of the value is what is bad, in either direction
    target: float | None = None  # coverage: the honest value; further below it is worse

    @property
    def unit_label(self) -> str:
        """The English column name (tables keep it; a viewer reads `unit_name`)."""
        return f"{self.label} (%)" if self.percent else self.label

    @property
    def meaning(self) -> str:
        return FIGURE_MEANINGS[self.label]

    def name(self, _: Translate = N_) -> str:
        """The figure's name in the page's language."""
        return _(self.label)

    def unit_name(self, _: Translate = N_) -> str:
        """The figure's name with its unit, in the page's language: 'Dækning 80 % (%)'."""
        return f"{self.name(_)} (%)" if self.percent else self.name(_)

    def meaning_in(self, _: Translate = N_) -> str:
        """What the figure means, in the page's language."""
        return _(self.meaning)

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

    def shown_text(self, shown: float | None, language: str = ENGLISH) -> str:
        """A value in display units as the page writes it: '5,23 %' (da), '+1.20 %' (bias), '0.87' (MASE)."""
        if shown is None or shown != shown:
            return DASH
        if self.percent:
            return percent(shown, language, signed=self.signed)
        return decimal(shown, language)

    def text(self, fraction: float | None, language: str = ENGLISH) -> str:
        """The API's value as the page writes it, in the page's language's number format."""
        return self.shown_text(self.display(fraction), language)


MAPE = Measure("mape", N_("MAPE"), percent=True)
WAPE = Measure("wape", N_("WAPE"), percent=True)
BIAS = Measure("bias", N_("Bias"), percent=True, signed=True)
MASE = Measure("mase", N_("MASE"), percent=False)
COVERAGE_80 = Measure("coverage_80", N_("Coverage 80 %"), percent=True, target=80.0)
COVERAGE_95 = Measure("coverage_95", N_("Coverage 95 %"), percent=True, target=95.0)

ALL_MEASURES = (WAPE, MAPE, BIAS, MASE, COVERAGE_80, COVERAGE_95)
HOURLY_MEASURES = (WAPE, MAPE, BIAS)  # what /monitoring/hourly has per hour
THRESHOLDED = frozenset({MAPE.field, WAPE.field, BIAS.field})  # compared with the page's threshold (%)
BY_FIELD = {measure.field: measure for measure in ALL_MEASURES}
BY_LABEL = {measure.label: measure for measure in ALL_MEASURES}
