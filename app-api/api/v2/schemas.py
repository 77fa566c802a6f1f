"""Response models of `/api/v2` (contract section 3), with descriptions and examples for the docs.

Times are ISO 8601 strings with their UTC offset in the zone the request asked for (`tz`, default UTC).
"""

from pydantic import BaseModel, Field

from api.schemas import RejectedUpload

TIME = "ISO 8601 with the offset of the requested zone (`tz`)."
AREA = "Price area code (0 = DK, 1 = DK1 west, 2 = DK2 east), or `all` for a total."
CONSUMER_TYPE = "DE35 consumer type code, or `all` for a total."


class Observation(BaseModel):
    time: str = Field(description="Start of the hour. " + TIME, examples=["2024-03-31T03:00:00+02:00"])
    kwh: float = Field(description="Observed consumption in kWh.", examples=[74217.34])


class ForecastHour(BaseModel):
    time: str = Field(description="Start of the hour. " + TIME, examples=["2024-03-31T04:00:00+02:00"])
    kwh: float = Field(description="Forecast consumption in kWh.", examples=[55453.63])
    lower_80: float | None = Field(
        description="Lower end of the 80 % range (null without a model).", examples=[52000.1]
    )
    upper_80: float | None = Field(description="Upper end of the 80 % range.", examples=[58900.7])
    lower_95: float | None = Field(description="Lower end of the 95 % range.", examples=[50100.0])
    upper_95: float | None = Field(description="Upper end of the 95 % range.", examples=[61200.4])


class Interval(BaseModel):
    method: str = Field(
        description="How the ranges were learnt.",
        examples=["split-conformal, relative residuals of this series' past predictions"],
    )
    calibration_hours: int = Field(description="Past hours of errors the ranges were learnt from.", examples=[312])
    coverage_80: float | None = Field(
        description="Share of past observations the 80 % range contained when the method was applied to past days "
        "(null: too little history of its own).",
        examples=[0.81],
    )
    coverage_95: float | None = Field(description="Same for the 95 % range.", examples=[0.95])


class WeekEarlier(BaseModel):
    hours: int = Field(
        description="Forecast hours whose hour one week (168 h) earlier was observed: the hours compared.",
        examples=[24],
    )
    observed_kwh: float | None = Field(
        description="What was observed at those hours a week earlier, summed (null when no hour compares).",
        examples=[2190500.2],
    )
    forecast_kwh: float | None = Field(description="The forecast at those hours, summed.", examples=[2258001.4])
    change: float | None = Field(
        description="forecast_kwh / observed_kwh − 1, a fraction (0.03 = 3 % more than a week earlier); null when "
        "nothing compares or the week-earlier sum is 0.",
        examples=[0.0308],
    )


class ForecastTotal(BaseModel):
    hours: int = Field(description="Forecast hours summed.", examples=[24])
    kwh: float | None = Field(description="The forecast's total in kWh.", examples=[2258001.4])
    lower_80: float | None = Field(description="Lower end of the total's 80 % range.", examples=[2250905.0])
    upper_80: float | None = Field(description="Upper end of the total's 80 % range.", examples=[2313630.4])
    lower_95: float | None = Field(description="Lower end of the total's 95 % range.", examples=[2238723.0])
    upper_95: float | None = Field(description="Upper end of the total's 95 % range.", examples=[2326760.3])
    method: str = Field(
        description="How the total's range was learnt: from past sums over as many consecutive hours (hourly "
        "errors partly cancel, so the sum of the hourly bounds would be far too wide)."
    )
    calibration_windows: int = Field(description="Past windows of that many hours it was learnt from.", examples=[313])
    week_earlier: WeekEarlier = Field(description="The forecast against the same hours one week earlier.")


class SeriesForecast(BaseModel):
    area: int | str = Field(description=AREA, examples=[1])
    consumer_type: int | str = Field(description=CONSUMER_TYPE, examples=[111])
    unit: str = Field(description="Unit of every value.", examples=["kWh"])
    tz: str = Field(description="The zone the times are given in.", examples=["Europe/Copenhagen"])
    observations: list[Observation] = Field(description="Observed hours in the selected range, ascending.")
    forecast: list[ForecastHour] = Field(description="Forecast hours in the selected range, with their ranges.")
    interval: Interval = Field(description="How the ranges were made and how well they did on past days.")
    forecast_total: ForecastTotal = Field(
        description="The whole forecast's total (e.g. the next 24 hours), with its range."
    )


class SeriesEntry(BaseModel):
    area: int = Field(description="Price area code.", examples=[1])
    area_name: str = Field(description="DK1, DK2 or DK.", examples=["DK1"])
    consumer_type: int = Field(description="DE35 consumer type code.", examples=[111])
    observed_from: str | None = Field(description="First observed hour. " + TIME)
    observed_to: str | None = Field(description="Last observed hour. " + TIME)
    forecast_from: str | None = Field(description="First forecast hour. " + TIME)
    forecast_to: str | None = Field(description="Last forecast hour. " + TIME)


class TotalEntry(BaseModel):
    area: int | str = Field(description=AREA, examples=["all"])
    area_name: str = Field(description="DK1, DK2, DK or Denmark.", examples=["Denmark"])
    consumer_type: int | str = Field(description=CONSUMER_TYPE, examples=["all"])


class SeriesList(BaseModel):
    series: list[SeriesEntry] = Field(description="One entry per observed series.")
    totals: list[TotalEntry] = Field(description="The totals that can be asked for with `all`.")


class ForecastRow(ForecastHour):
    area: int = Field(description="Price area code.", examples=[1])
    consumer_type: int = Field(description="DE35 consumer type code.", examples=[111])


class Forecasts(BaseModel):
    rows: list[ForecastRow] = Field(description="One row per observed series and forecast hour.")


class Figures(BaseModel):
    hours_compared: int = Field(description="Hours with both a prediction and an observation.", examples=[312])
    mape: float | None = Field(description="mean(|ŷ − y| / |y|) over hours with y ≠ 0 (fraction).", examples=[0.061])
    wape: float | None = Field(description="Σ|ŷ − y| / Σ|y|: volume-weighted error (fraction).", examples=[0.052])
    bias: float | None = Field(description="Σ(ŷ − y) / Σ|y|: positive = forecast too high.", examples=[0.012])
    mase: float | None = Field(
        description="mean|ŷ − y| / mean|y(t) − y(t − 168 h)|: below 1 beats 'same hour last week'.", examples=[0.64]
    )
    coverage_80: float | None = Field(description="Share of backtested hours inside the 80 % range.", examples=[0.8])
    coverage_95: float | None = Field(description="Share of backtested hours inside the 95 % range.", examples=[0.95])


class SeriesFigures(Figures):
    area: int = Field(description="Price area code.", examples=[1])
    consumer_type: int = Field(description="DE35 consumer type code.", examples=[111])


class AreaFigures(Figures):
    area: str = Field(description="Area code as text, or `all` (every price area), pooled.", examples=["1"])


class Period(BaseModel):
    from_: str | None = Field(alias="from", description="First hour of the period. " + TIME)
    to: str | None = Field(description="Last hour of the period. " + TIME)
    overall: Figures | None = Field(description="All series pooled.")
    areas: list[AreaFigures] = Field(description="Pooled per area.")


class CoverageFloors(BaseModel):
    coverage_80: float = Field(
        description="Below this share of hours inside the 80 % range, the ranges are too narrow (the alert rule "
        "EnergyForecastRange80NotCovering fires below the same number).",
        examples=[0.65],
    )
    coverage_95: float = Field(description="The same floor for the 95 % range.", examples=[0.85])


class MonitoringSummary(BaseModel):
    window_from: str | None = Field(description="First compared hour. " + TIME)
    window_to: str | None = Field(description="Last compared hour. " + TIME)
    series: list[SeriesFigures] = Field(description="Figures per observed series over the window.")
    overall: Figures = Field(description="All series' compared hours pooled.")
    areas: list[AreaFigures] = Field(description="Pooled per area and over all price areas (`all`).")
    periods: dict[str, Period] = Field(
        description="`last_24h`, `week_before` (the same 24 hours a week earlier), `last_7d`, `previous_7d`, "
        "each ending at the last compared hour."
    )
    coverage_floors: CoverageFloors = Field(description="Range coverage below these figures is flagged and alerted.")


class HourFigures(BaseModel):
    time: str = Field(description="Start of the hour. " + TIME)
    mape: float | None = Field(description="MAPE over the series compared in this hour (the pipeline's figure).")
    wape: float | None = Field(description="WAPE over the series compared in this hour.")
    bias: float | None = Field(description="Bias over the series compared in this hour.")
    series_compared: int = Field(description="Series with both a prediction and an observation in this hour.")
    coverage_80: float | None = Field(description="Share of series whose observation was inside the 80 % range.")
    coverage_95: float | None = Field(description="Share of series whose observation was inside the 95 % range.")
    mape_24h: float | None = Field(
        description="MAPE pooled over the 24 hours ending at this hour (Σ APE / hours compared over all series; ours, "
        "not the pipeline's); null while fewer than 12 of those hours were compared."
    )
    wape_24h: float | None = Field(description="WAPE pooled over the 24 hours ending at this hour (Σ|ŷ − y| / Σ|y|).")
    bias_24h: float | None = Field(description="Bias pooled over the 24 hours ending at this hour (Σ(ŷ − y) / Σ|y|).")


class MonitoringHourly(BaseModel):
    hours: list[HourFigures] = Field(description="Every hour of the monitoring window, ascending.")


class HourOfDayFigures(BaseModel):
    hour: int = Field(description="Hour of the day (0-23) on the clocks of `tz`.", examples=[17])
    hours_compared: int = Field(
        description="Series-hours compared that started at this hour of the day.", examples=[1008]
    )
    mape: float | None = Field(description="MAPE pooled over those hours (fraction).", examples=[0.071])
    wape: float | None = Field(description="WAPE pooled over those hours: Σ|ŷ − y| / Σ|y|.", examples=[0.065])
    bias: float | None = Field(description="Bias pooled over those hours: Σ(ŷ − y) / Σ|y|.", examples=[-0.004])
    coverage_80: float | None = Field(description="Share of those hours inside the 80 % range.", examples=[0.79])
    coverage_95: float | None = Field(description="Share of those hours inside the 95 % range.", examples=[0.94])


class MonitoringHourOfDay(BaseModel):
    tz: str = Field(description="The zone whose clocks give the hour of the day.", examples=["Europe/Copenhagen"])
    window_from: str | None = Field(description="First compared hour. " + TIME)
    window_to: str | None = Field(description="Last compared hour. " + TIME)
    hours: list[HourOfDayFigures] = Field(description="24 rows, hour 0 first.")


class MonitoredHour(BaseModel):
    time: str = Field(description="Start of the hour. " + TIME)
    observed_kwh: float | None = Field(description="Observation (null: not observed).")
    predicted_kwh: float | None = Field(description="What was predicted for this hour (null: nothing).")
    error_kwh: float | None = Field(description="predicted − observed (null unless both exist).")
    awaiting_observation: bool = Field(description="True for predicted hours after the series' last observation.")
    lower_80: float | None = Field(description="80 % range the method gave for this hour, learnt before its day.")
    upper_80: float | None = Field(description="Upper end of that 80 % range.")
    lower_95: float | None = Field(description="Lower end of the 95 % range.")
    upper_95: float | None = Field(description="Upper end of the 95 % range.")
    absolute_percentage_error: float | None = Field(
        description="|predicted − observed| / |observed| as a fraction (null unless both exist and observed ≠ 0)."
    )


class MonitoredSeries(BaseModel):
    area: int | str = Field(description=AREA, examples=[1])
    consumer_type: int | str = Field(description=CONSUMER_TYPE, examples=[111])
    tz: str = Field(description="The zone the times are given in.", examples=["UTC"])
    hours_compared: int = Field(description="Hours with both a prediction and an observation.", examples=[312])
    hours_awaiting_observation: int = Field(
        description="Predicted hours after the series' last observation.", examples=[24]
    )
    hours_missing: int = Field(
        description="Hours from the first to the last listed hour with no observation that are not awaited "
        "(gaps in the data, hours neither file lists included).",
        examples=[0],
    )
    hours: list[MonitoredHour] = Field(description="Every hour with a past prediction or an observation.")


class Status(BaseModel):
    source: str = Field(description="Where the data comes from (never a credential).")
    is_demo: bool = Field(description="True for the built-in synthetic demo bucket.")
    data_version: str = Field(description="Content-derived name of the data: equal on every replica.")
    snapshot_id: int = Field(description="This process's snapshot counter.")
    loaded_at: str = Field(description="When the snapshot was built. " + TIME)
    last_successful_refresh_at: str | None = Field(
        description="When the bucket was last read without any error (every object's newest upload served); null "
        "before the first. " + TIME
    )
    stale: bool = Field(description="True when the bucket has not been read successfully for three intervals.")
    observed_from: str | None = Field(description="First observed hour. " + TIME)
    observed_to: str | None = Field(description="Last observed hour. " + TIME)
    forecast_from: str | None = Field(description="First forecast hour. " + TIME)
    forecast_to: str | None = Field(description="Last forecast hour. " + TIME)
    series_count: int = Field(description="Observed series.")
    monitoring_available: bool = Field(description="Whether monitoring data is loaded.")
    observed_to_age_seconds: float | None = Field(
        description="Seconds from the start of the newest observed hour (`observed_to`) to now.", examples=[5400.0]
    )
    forecast_from_age_seconds: float | None = Field(
        description="Seconds from the forecast's first hour (`forecast_from`) to now; negative while it lies ahead.",
        examples=[1800.0],
    )
    rejections: list[RejectedUpload] = Field(
        description="Uploads rejected by the data gates and not yet replaced by a good one, times in `tz`: the data "
        "above is the last good copy. Empty when all is well."
    )
