"""`dashboard_common.links`, the one link helper: reading with defaults and notices, writing only the
page's own parameters and only what changed; and, for every parameter of both pages, that a link
written for any choices reads back as those choices."""

import pytest
from dashboard_common.links import LinkParam, read_link, write_link
from frontend.choices import DANISH_TIME, UTC
from frontend.links import link_params as forecast_link_params
from hypothesis import given
from hypothesis import strategies as st
from monitoring.links import link_params as monitoring_link_params
from monitoring.links import link_values as monitoring_link_values
from monitoring.measures import ALL_MEASURES, HOURLY_MEASURES


def parse_count(raw):
    (text,) = raw
    return (int(text), ()) if text.isdigit() else (None, (f"not a count: {text}",))


PARAMS = [
    LinkParam("count", ("n",), 1, parse_count, lambda n: (str(n),)),
    LinkParam("always", ("a",), 1, parse_count, lambda n: (str(n),), always=True),
    LinkParam("only_read", ("view",), None, lambda raw: (None, ("read only",))),
    LinkParam("moot", ("m",), 1, parse_count, lambda n: (str(n),), relevant=lambda values: values["count"] > 1),
]


def test_an_absent_parameter_is_its_default_without_a_notice():
    reading = read_link({}, PARAMS)
    assert reading.values == {"count": 1, "always": 1, "only_read": None, "moot": 1}
    assert reading.notices_for() == []


def test_a_value_that_cannot_be_used_is_the_default_with_the_parsers_notice():
    reading = read_link({"n": "many", "view": "x", "m": "5"}, PARAMS)
    assert reading.values == {"count": 1, "always": 1, "only_read": None, "moot": 5}
    assert reading.notices_for() == ["not a count: many", "read only"]
    assert reading.notices_for(["only_read"]) == ["read only"]


def test_writing_touches_only_the_pages_parameters_and_only_what_changed():
    query = {"utm_source": "mail", "view": "chosen by a widget", "n": "3", "m": "7"}
    changed: list[str] = []

    class Recording(dict):
        def __setitem__(self, key, value):
            changed.append(key)
            super().__setitem__(key, value)

    recorded = Recording(query)
    write_link(recorded, PARAMS, {"count": 3, "always": 1, "moot": 7})
    assert recorded == {"utm_source": "mail", "view": "chosen by a widget", "n": "3", "m": "7", "a": "1"}
    assert changed == ["a"], "`always` is written at its default; nothing else changed"


def test_a_default_or_a_moot_value_leaves_the_link():
    query = {"n": "3", "a": "2", "m": "7"}
    write_link(query, PARAMS, {"count": 1, "always": 2, "moot": 7})
    assert query == {"a": "2"}, "n back at its default; m moot once n is 1"


def test_a_value_not_given_is_written_as_its_default():
    query = {"n": "3", "m": "7"}
    write_link(query, PARAMS, {"count": 1, "moot": 7})  # no `always`: its default, written as always
    assert query == {"a": "1"}


def test_a_parameter_whose_text_does_not_match_its_names_is_refused():
    two_names = [LinkParam("pair", ("x", "y"), (0, 0), lambda raw: (None, ()), lambda pair: (str(pair[0]),))]
    with pytest.raises(ValueError):  # fewer texts than names: fail rather than drop a name
        write_link({}, two_names, {"pair": (1, 2)})


# --- both pages: any choices survive a written link ----------------------------------------------

AREAS = ["all", "1", "2"]
TYPES = ["all", "111", "112", "119", "461"]


def forecast_params():
    """Built inside each test, so mutation testing sees the tests that run it."""
    return forecast_link_params(AREAS, TYPES, max_types=3)


@st.composite
def forecast_choices(draw) -> dict:
    compare = draw(st.sampled_from([None, "types", "areas"]))
    comparing = compare is not None
    types = None
    if compare == "types":
        types = tuple(draw(st.lists(st.sampled_from(TYPES[1:]), min_size=1, max_size=3, unique=True)))
    return {
        "area": draw(st.sampled_from(AREAS)),
        "consumer_type": draw(st.sampled_from(TYPES)),
        "zone": draw(st.sampled_from([DANISH_TIME, UTC])),
        "compare": compare,
        "types": types,
        "share": comparing and draw(st.booleans()),
        "layout": comparing and draw(st.booleans()),
        "past": not comparing and draw(st.booleans()),
    }


@given(forecast_choices())
def test_any_forecast_page_choices_read_back_from_the_link_they_write(values):
    query: dict[str, str] = {}
    write_link(query, forecast_params(), values)
    reading = read_link(query, forecast_params())
    assert (reading.values, reading.notices_for()) == (values, [])


SERIES = [(1, 111), (2, 462), (0, 999)]


def monitoring_params():
    """Built inside each test, so mutation testing sees the tests that run it."""
    return monitoring_link_params(SERIES)


@given(
    st.one_of(st.none(), st.sampled_from(SERIES)),
    st.floats(min_value=0.1, max_value=1000.0).map(lambda value: float(f"{value:g}")),
    st.sampled_from(ALL_MEASURES),
    st.sampled_from(HOURLY_MEASURES),
)
def test_any_monitoring_page_choices_read_back_from_the_link_they_write(series, threshold, rank, chart):
    values = monitoring_link_values(series, threshold, rank, chart)
    query: dict[str, str] = {}
    write_link(query, monitoring_params(), values)
    reading = read_link(query, monitoring_params())
    assert (reading.values, reading.notices_for()) == ({"view": None, **values}, [])
