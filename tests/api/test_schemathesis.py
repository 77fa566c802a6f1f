"""Property-based tests of the whole OpenAPI schema: every operation, generated valid and invalid input,
every built-in schemathesis check, against the real app (lifespan running) on the fixture bucket.
"""

import schemathesis
from api.application import create_app
from api.config import Settings
from api.timefmt import ZONE_NAMES
from hostile_values import FORMAT_NEAR_MISSES, TIME_NEAR_MISSES, ZONE_NEAR_MISSES, zone_database_folders
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from schemathesis.checks import CHECKS, load_all_checks
from support import BUCKET_PANDAS15

app = create_app(Settings(GCP_BUCKET=str(BUCKET_PANDAS15), _env_file=None))
schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
schema_v2 = schemathesis.openapi.from_asgi("/api/v2/openapi.json", app)

load_all_checks()
ALL_CHECKS = CHECKS.get_all()


def test_every_built_in_check_is_run():
    assert {check.__name__ for check in ALL_CHECKS} >= {
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_headers_conformance",
        "response_schema_conformance",
        "negative_data_rejection",
        "positive_data_acceptance",
    }


@schema.parametrize()
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_conforms_to_the_schema_and_never_fails(case):
    response = case.call_and_validate(checks=ALL_CHECKS)
    assert response.status_code != 503, "the fixture bucket must be loaded, or data endpoints only answer 503"


@schema_v2.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_v2_operation_conforms_to_the_schema_and_never_fails(case):
    # Every check but one: a schema-valid `start`/`end` string can still be an impossible time (month 13) or
    # an inverted range, which v2 must answer with 422; test_v2_series pins what is accepted.
    response = case.call_and_validate(checks=[c for c in ALL_CHECKS if c.__name__ != "positive_data_acceptance"])
    assert response.status_code != 503, "the fixture bucket must be loaded, or data endpoints only answer 503"


ZONE_VALUES = st.one_of(
    st.sampled_from(zone_database_folders() + ZONE_NEAR_MISSES),
    st.sampled_from(sorted(ZONE_NAMES)),
    st.text(max_size=80),
)
TIME_VALUES = st.one_of(st.sampled_from(TIME_NEAR_MISSES), st.text(max_size=40))


@schema_v2.parametrize()
@schema_v2.given(tz=ZONE_VALUES, start=TIME_VALUES, form=st.sampled_from([None, *FORMAT_NEAR_MISSES]))
# Generated cases only: the schema's own examples carry no values for the extra arguments.
@settings(
    max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), phases=[Phase.generate, Phase.shrink]
)
def test_every_v2_operation_answers_any_zone_time_and_format_with_200_or_a_json_4xx(case, tz, start, form):
    """The zone database's folders and other near-misses of zones, times and formats, on every operation with `tz`."""
    parameters = {parameter.name for parameter in case.operation.query}
    assert "tz" in parameters  # every v2 operation takes a zone
    case.query = {**(case.query or {}), "tz": tz, **({"format": form} if form is not None else {})}
    if "start" in parameters:
        case.query["start"] = start
    response = case.call()
    assert response.status_code in (200, 404, 406, 422), (case.query, response.status_code, response.text[:200])
    if response.status_code != 200:
        assert response.headers["content-type"] == ["application/json"] and response.json()["detail"]
    if tz not in ZONE_NAMES:
        assert response.status_code == 422, case.query
