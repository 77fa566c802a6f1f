"""Small bucket frames for tests and pins, shaped as the pipeline writes them."""

import pandas as pd


def frame(rows: list[tuple], value: str | None = "energy_consumption") -> pd.DataFrame:
    """A bucket frame like the pipeline's: (area, consumer_type, hour[, value]) rows, period index."""
    columns = ["area", "consumer_type", "datetime_utc"] + ([value] if value else [])
    data = pd.DataFrame(rows, columns=columns)
    data["datetime_utc"] = pd.PeriodIndex.from_ordinals(data["datetime_utc"].to_numpy(), freq="h")
    return data.set_index(["area", "consumer_type", "datetime_utc"])
