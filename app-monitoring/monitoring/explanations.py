"""What each error figure means, in one line each, and when MAPE misleads: shown on the page and in the report.

The figures are the API's (contract section 3); these lines are for the people reading them, so
they say what a value means for a decision rather than repeat the formula. English here, marked for
the catalogue (`N_`); the page and the report translate them with the page's `_`.
"""

from dashboard_common.i18n import N_

FIGURE_MEANINGS: dict[str, str] = {
    "MAPE": N_(
        "Mean of |forecast − observed| / observed over the hours: every hour counts the same, "
        "however little was consumed in it."
    ),
    "WAPE": N_(
        "Total |forecast − observed| / total observed: the share of the energy forecast wrongly; "
        "big series and busy hours weigh most. The figure the alerts use."
    ),
    "Bias": N_(
        "Total (forecast − observed) / total observed: positive means forecasts were too high, "
        "negative too low; noise cancels out, a missed level shift does not."
    ),
    "MASE": N_(
        "Mean |error| / mean |change from the same hour a week earlier|: below 1 the model beats "
        "“same as last week”, above 1 it does worse."
    ),
    "Coverage 80 %": N_(
        "Share of observed hours inside the forecast's 80 % range: near 80 % is honest, "
        "much lower means the ranges are too narrow."
    ),
    "Coverage 95 %": N_("Share of observed hours inside the 95 % range: near 95 % is honest."),
}

WHEN_MAPE_MISLEADS = N_(
    "When MAPE misleads: a small consumer type or a night hour with little consumption turns a "
    "small error in kWh into a huge percentage, so MAPE is dominated by what matters least; an "
    "over-forecast can exceed 100 % while an under-forecast cannot, so it favours forecasting low; "
    "and it is blind to the sign of the error. Read WAPE for size, bias for direction."
)
