"""Response models of `/api/v1`: the wire contract, with descriptions and examples for OpenAPI.

Times on the wire are integers: hours since 1970-01-01T00:00Z (UTC). The six contract models keep
their historical field names (including `predictions_monitoring_energy_consumptionc`).
"""

from pydantic import BaseModel, ConfigDict, Field

from api.rejections import RejectedUpload

HOURS_DESCRIPTION = "Hours since 1970-01-01T00:00Z (UTC), ascending."


class Health(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"name": "Energy Consumption API", "api_version": "v1"}]})

    name: str = Field(description="Name of the service.", examples=["Energy Consumption API"])
    api_version: str = Field(description="Version of the REST API (the URL prefix).", examples=["v1"])


class UniqueValues(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"values": [1, 2]}]})

    values: list[int] = Field(
        description="Distinct values present in the feature window X, ascending.", examples=[[1, 2]]
    )


class PredictionResults(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "datetime_utc": [468550, 468551],
                    "energy_consumption": [74217.34, 65885.92],
                    "preds_datetime_utc": [468552, 468553],
                    "preds_energy_consumption": [55453.63, 49476.21],
                }
            ]
        }
    )

    datetime_utc: list[int] = Field(
        description="Observed hours: the latest week (168 h) of the series in y. " + HOURS_DESCRIPTION,
        examples=[[468550, 468551]],
    )
    energy_consumption: list[float] = Field(
        description="Observed consumption in kWh, one per `datetime_utc`.",
        examples=[[74217.34, 65885.92]],
    )
    preds_datetime_utc: list[int] = Field(
        description="Forecast hours: the next 24 hours. " + HOURS_DESCRIPTION,
        examples=[[468552, 468553]],
    )
    preds_energy_consumption: list[float] = Field(
        description="Forecast consumption in kWh, one per `preds_datetime_utc`.",
        examples=[[55453.63, 49476.21]],
    )


class MonitoringMetrics(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"datetime_utc": [468216, 468217], "mape": [0.0391, 0.0402]}]}
    )

    datetime_utc: list[int] = Field(description="Monitored hours. " + HOURS_DESCRIPTION, examples=[[468216, 468217]])
    mape: list[float] = Field(
        description="Mean absolute percentage error over all series for that hour, as a fraction (0.05 = 5 %).",
        examples=[[0.0391, 0.0402]],
    )


class MonitoringValues(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "y_monitoring_datetime_utc": [468216, 468217],
                    "y_monitoring_energy_consumption": [57560.44, 52199.62],
                    "predictions_monitoring_datetime_utc": [468216, 468217, 468218],
                    "predictions_monitoring_energy_consumptionc": [53272.78, 49247.46, 50110.0],
                    "predictions_monitoring_energy_consumption": [53272.78, 49247.46, 50110.0],
                }
            ]
        }
    )

    y_monitoring_datetime_utc: list[int] = Field(
        description="Observed hours in the monitoring window. " + HOURS_DESCRIPTION,
        examples=[[468216, 468217]],
    )
    y_monitoring_energy_consumption: list[float] = Field(
        description="Observed consumption in kWh.", examples=[[57560.44, 52199.62]]
    )
    predictions_monitoring_datetime_utc: list[int] = Field(
        description="Hours for which a past prediction exists. " + HOURS_DESCRIPTION,
        examples=[[468216, 468217, 468218]],
    )
    predictions_monitoring_energy_consumptionc: list[float] = Field(
        description="Past predictions in kWh. The trailing `c` is the historical spelling that existing clients read.",
        examples=[[53272.78, 49247.46, 50110.0]],
    )
    predictions_monitoring_energy_consumption: list[float] = Field(
        description="The same values as `predictions_monitoring_energy_consumptionc`, correctly spelled.",
        examples=[[53272.78, 49247.46, 50110.0]],
    )


class FileStatus(BaseModel):
    name: str = Field(description="Object name in the bucket.", examples=["y.parquet"])
    required: bool = Field(description="Whether forecasts can be served without this file.", examples=[True])
    loaded: bool = Field(description="Whether a good copy of this file is in the served snapshot.", examples=[True])
    generation: str | None = Field(
        description="GCS object generation (or local file mtime_ns:size) of the copy in memory.",
        examples=["1686787200000000"],
    )
    updated: str | None = Field(
        description="When that copy was written to the bucket (ISO 8601, UTC).",
        examples=["2023-06-15T00:05:00+00:00"],
    )
    rows: int | None = Field(description="Rows read from that copy.", examples=[51840])
    error: str | None = Field(
        description="Why the latest version of this file could not be used, if it could not.",
        examples=[None],
    )
    rejection: RejectedUpload | None = Field(
        default=None,
        description="Set while the newest upload of this file is rejected by the data gates.",
        examples=[None],
    )


class Readiness(BaseModel):
    ready: bool = Field(description="True when forecasts are loaded and being served.", examples=[True])
    reason: str | None = Field(description="Why the service is not ready, when it is not.", examples=[None])
    snapshot_id: int | None = Field(
        description="Increasing number of the snapshot being served (changes whenever data changes).",
        examples=[3],
    )
    snapshot_loaded_at: str | None = Field(
        description="When the served snapshot was built (ISO 8601, UTC).",
        examples=["2026-11-22T04:00:00+00:00"],
    )
    snapshot_age_seconds: float | None = Field(
        description="Seconds since the served snapshot was built.", examples=[12.5]
    )
    last_refresh_at: str | None = Field(
        description="When the bucket was last checked (ISO 8601, UTC).",
        examples=["2026-11-22T04:01:00+00:00"],
    )
    last_successful_refresh_at: str | None = Field(
        description="When the bucket was last checked without any error (every object's newest upload served).",
        examples=["2026-11-22T04:01:00+00:00"],
    )
    last_refresh_error: str | None = Field(
        description="The error of the latest refresh, or null if it succeeded: read errors, and the reasons of "
        "rejected uploads while they stand.",
        examples=[None],
    )
    refresh_interval_seconds: float = Field(description="How often the bucket is checked.", examples=[60])
    files: list[FileStatus] = Field(description="State of each of the six bucket files.")
    rejections: list[RejectedUpload] = Field(
        default_factory=list,
        description="Uploads rejected by the data gates and not yet replaced by a good one (empty when all is well).",
    )


class Freshness(BaseModel):
    source: str = Field(
        description="Where the data comes from (bucket URL or folder; never a credential).",
        examples=["gs://hourly-batch-predictions"],
    )
    is_demo: bool = Field(description="True when the data is the built-in synthetic demo bucket.", examples=[False])
    snapshot_id: int = Field(
        description="Number of the snapshot being served by this process (a per-process counter).", examples=[3]
    )
    data_version: str = Field(
        description="Content-derived name of the data (from the bucket objects' generations): equal on every "
        "replica that loaded the same objects. Key caches on it.",
        examples=["3f9a0c1d2e4b5a69"],
    )
    loaded_at: str = Field(
        description="When the served snapshot was built (ISO 8601, UTC).",
        examples=["2026-11-22T04:00:00+00:00"],
    )
    age_seconds: float = Field(description="Seconds since the served snapshot was built.", examples=[12.5])
    last_successful_refresh_at: str | None = Field(
        description="When the bucket was last checked without error (ISO 8601, UTC).",
        examples=["2026-11-22T04:01:00+00:00"],
    )
    stale: bool = Field(
        description="True when the bucket has not been checked successfully for more than three refresh intervals.",
        examples=[False],
    )
    observed_from: int | None = Field(description="First observed hour in y. " + HOURS_DESCRIPTION, examples=[467832])
    observed_to: int | None = Field(description="Last observed hour in y. " + HOURS_DESCRIPTION, examples=[468551])
    forecast_from: int | None = Field(description="First forecast hour. " + HOURS_DESCRIPTION, examples=[468552])
    forecast_to: int | None = Field(description="Last forecast hour. " + HOURS_DESCRIPTION, examples=[468575])
    series_count: int = Field(description="Number of observed (area, consumer_type) series.", examples=[72])
    monitoring_available: bool = Field(description="Whether monitoring data is loaded.", examples=[True])
    rejections: list[RejectedUpload] = Field(
        default_factory=list,
        description="Uploads rejected by the data gates, not yet replaced: the data above is the last good copy "
        "(empty when all is well).",
    )


class SeriesSummary(BaseModel):
    area: int = Field(description="Price area code (0 = DK, 1 = DK1, 2 = DK2).", examples=[1])
    consumer_type: int = Field(description="DE35 consumer type code.", examples=[111])
    mape: float | None = Field(
        description="Mean absolute percentage error as a fraction over hours compared (null if none).",
        examples=[0.042],
    )
    mae: float | None = Field(description="Mean absolute error in kWh (null if no hour compared).", examples=[2210.5])
    rmse: float | None = Field(
        description="Root mean squared error in kWh (null if no hour compared).", examples=[2890.1]
    )
    hours_compared: int = Field(description="Hours with both a prediction and an observation.", examples=[336])
    hours_awaiting_observation: int = Field(
        description="Hours with a prediction but no observation yet.", examples=[24]
    )


class MonitoringSummary(BaseModel):
    window_from: int | None = Field(description="First monitored hour. " + HOURS_DESCRIPTION, examples=[468216])
    window_to: int | None = Field(description="Last monitored hour. " + HOURS_DESCRIPTION, examples=[468575])
    series: list[SeriesSummary] = Field(
        description="One entry per (area, consumer_type) in the monitoring data, worst MAPE first "
        "(series with no hour compared last)."
    )


class SeriesErrors(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "area": 1,
                    "consumer_type": 111,
                    "datetime_utc": [468550, 468551, 468552],
                    "prediction": [75000.0, 66000.0, 55453.6],
                    "observation": [74217.3, 65885.9, None],
                    "error": [782.7, 114.1, None],
                    "absolute_percentage_error": [0.0105, 0.0017, None],
                    "awaiting_observation": [False, False, True],
                }
            ]
        }
    )

    area: int = Field(description="Price area code.", examples=[1])
    consumer_type: int = Field(description="DE35 consumer type code.", examples=[111])
    datetime_utc: list[int] = Field(
        description="Every hour with a prediction or an observation in the monitoring window. " + HOURS_DESCRIPTION,
        examples=[[468550, 468551, 468552]],
    )
    prediction: list[float | None] = Field(
        description="Past prediction in kWh, null where none was made.",
        examples=[[75000.0, 66000.0, 55453.6]],
    )
    observation: list[float | None] = Field(
        description="Observation in kWh, null where none exists yet (awaiting observation).",
        examples=[[74217.3, 65885.9, None]],
    )
    error: list[float | None] = Field(
        description="prediction - observation in kWh, null unless both exist.",
        examples=[[782.7, 114.1, None]],
    )
    absolute_percentage_error: list[float | None] = Field(
        description="|prediction - observation| / |observation| as a fraction, null unless both exist and the "
        "observation is not zero.",
        examples=[[0.0105, 0.0017, None]],
    )
    awaiting_observation: list[bool] = Field(
        description="True where a prediction exists for an hour after the last observed hour of the monitoring "
        "data: ground truth has not arrived yet (as opposed to a missing observation).",
        examples=[[False, False, True]],
    )


class ErrorDetail(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"detail": "No data found for the given area and consumer type: 2, 999"}]}
    )

    detail: str = Field(
        description="Why the request could not be answered.",
        examples=["No data found for the given area and consumer type: 2, 999"],
    )
