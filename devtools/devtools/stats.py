"""The one percentile of the scripts' reports."""

from collections.abc import Iterable

import numpy as np


def percentile(values: Iterable[float], percent: float) -> float:
    """The `percent`-th percentile (0-100), linearly interpolated between the two nearest values.

    numpy's default method: 0 is the minimum and 100 the maximum, so a few samples never give a
    figure outside their range.
    """
    data = np.fromiter(values, dtype="float64")
    if data.size == 0:
        raise ValueError("percentile of no values")
    return float(np.percentile(data, percent))
