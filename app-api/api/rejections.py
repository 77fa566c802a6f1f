"""How both versions show an upload the data gates rejected: one model, one conversion (times in any zone)."""

from datetime import UTC, tzinfo

from pydantic import BaseModel, Field

from api.gates import Rejection

RULES_DESCRIPTION = (
    "`object_size`, `unreadable`, `row_count`, `uncompressed_size`, `missing_column`, `column_type`, `null_key`, "
    "`code`, `hour_too_early`, `hour_too_late`, `forecast_horizon`, `not_finite`, `value_too_large` or "
    "`snapshot_build` (see the README's data gates)"
)


class RejectedUpload(BaseModel):
    """An upload the data gates kept out: the last good copy of the object is served meanwhile."""

    object: str = Field(description="Object name in the bucket.", examples=["y.parquet"])
    generation: str = Field(
        description="The rejected generation (GCS object generation, or a hash of a local file's content); it "
        "is not downloaded again.",
        examples=["1733312400123456"],
    )
    first_seen: str = Field(
        description="When this API first saw and rejected it (ISO 8601).", examples=["2026-12-04T15:02:11+00:00"]
    )
    uploaded_at: str | None = Field(
        description="When it was written to the bucket, as the bucket says (ISO 8601).",
        examples=["2026-12-04T15:01:58+00:00"],
    )
    rule: str = Field(description="The rule it breaks: " + RULES_DESCRIPTION + ".", examples=["null_key"])
    column: str | None = Field(description="The offending column, when one is to blame.", examples=["area"])
    row: int | None = Field(description="First offending row (0-based, in the file's order).", examples=[3])
    reason: str = Field(
        description="One line for the pipeline's engineers: object, rule, column, first offending row.",
        examples=["y.parquet: area is empty (null) in row 3"],
    )


def rejected_upload(rejection: Rejection, zone: tzinfo = UTC) -> RejectedUpload:
    """A rejection as the versions show it (times in `zone`: UTC for v1, the asked-for zone for v2)."""
    return RejectedUpload(
        object=rejection.object,
        generation=rejection.generation,
        first_seen=rejection.first_seen.astimezone(zone).isoformat(),
        uploaded_at=rejection.uploaded_at.astimezone(zone).isoformat() if rejection.uploaded_at else None,
        rule=str(rejection.rule),
        column=rejection.column,
        row=rejection.row,
        reason=rejection.message,
    )
