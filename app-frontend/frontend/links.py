"""The forecast page's link, as `dashboard_common.links` parameters.

`?area=1&consumer_type=all&tz=utc` names the series and the zone (a fresh link shows all three);
`compare=types|areas`, `types=111,122` (the consumer types compared; none: the page's first few),
`share=1` and `layout=multiples` the compare mode, `past=1` the past-forecast overlay (left out when
at their defaults, or when the compare mode makes them moot), `lang=da|en` the page's language
(left out at the browser's own). A value the page cannot show falls back to the default, and the
page says so, in the page's language.
"""

from collections.abc import Callable, Mapping, Sequence
from functools import partial
from typing import Any

from dashboard_common.i18n import N_, Translate, language_param
from dashboard_common.links import LinkParam, Parsed, Raw
from dashboard_common.linktext import quoted, quoted_list

from frontend.choices import (
    COMPARE_BY,
    DANISH_TIME,
    DEFAULT_COMPARED,
    LAYOUTS,
    MAX_COMPARED,
    TOTAL,
    UTC,
    area_choice_label,
    codes_only,
    consumer_type_choice_label,
)

# The link's short names for the two zones the page offers; IANA names are accepted too.
ZONE_BY_LINK_VALUE = {"dk": DANISH_TIME, "europe/copenhagen": DANISH_TIME, "utc": UTC}
LINK_VALUE_BY_ZONE = {DANISH_TIME: "dk", UTC: "utc"}
COMPARED = ("types", "areas")
YES, NO = ("1", "true", "yes"), ("0", "false", "no")


def option_named(text: str, options: Sequence[str]) -> str | None:
    """The option a link value names (`all`, or a code: `01` names `1`), or None."""
    value = text.strip().lower()
    if value != TOTAL:
        try:
            value = str(int(value))
        except ValueError:
            return None
    return value if value in options else None


def parse_choice(options: Sequence[str], what: str, describe: Callable[[str], str], _: Translate, raw: Raw) -> Parsed:
    """An area or consumer type the API serves; `what` is the notice's text for anything else."""
    (text,) = raw
    chosen = option_named(text, options)
    if chosen is None:
        notice = _(what).format(value=quoted(text), default=describe(options[0]))
        return None, (notice,)
    return chosen, ()


AREA_NOTICE = N_("The link asks for area {value}, which has no data; showing {default} instead.")
CONSUMER_TYPE_NOTICE = N_("The link asks for consumer type {value}, which has no data; showing {default} instead.")


def parse_zone(raw: Raw, _: Translate = N_) -> Parsed:
    """`tz=utc` is UTC, `tz=dk` Danish time; anything else falls back to Danish time."""
    (text,) = raw
    zone = ZONE_BY_LINK_VALUE.get(text.strip().lower())
    if zone is None:
        notice = _(
            "The link asks for time zone {value}, which this page does not offer; showing Danish time instead."
        ).format(value=quoted(text))
        return None, (notice,)
    return zone, ()


def parse_compare(raw: Raw, _: Translate = N_) -> Parsed:
    (text,) = raw
    if text.strip().lower() in COMPARED:
        return text.strip().lower(), ()
    notice = _("The link asks to compare {value}; the page compares `types` or `areas`.")
    return None, (notice.format(value=quoted(text)),)


def parse_flag(name: str, raw: Raw, _: Translate = N_) -> Parsed:
    (text,) = raw
    if text.strip().lower() in YES:
        return True, ()
    if text.strip().lower() in NO:
        return False, ()
    notice = _("The link's {value} is not understood (use `{name}=1`); left off.")
    return False, (notice.format(value=quoted(f"{name}={text}"), name=name),)


def parse_layout(raw: Raw, _: Translate = N_) -> Parsed:
    (text,) = raw
    if text.strip().lower() in ("multiples", "overlaid"):
        return text.strip().lower() == "multiples", ()
    return None, (_("The link asks for layout {value}; showing the series overlaid.").format(value=quoted(text)),)


def parse_types(codes: Sequence[str], max_types: int, raw: Raw, _: Translate = N_) -> Parsed:
    """The consumer types to compare: those with data, each once, at most `max_types`."""
    (text,) = raw
    if not codes:
        return None, ()
    asked = [part for part in (piece.strip() for piece in text.split(",")) if part]
    known = [option_named(part, codes) for part in asked]
    kept = list(dict.fromkeys(code for code in known if code is not None))
    unknown = [part for part, code in zip(asked, known, strict=True) if code is None]
    notices = []
    if unknown:
        notice = _("The link names consumer types without data ({values}); left out.")
        notices.append(notice.format(values=quoted_list(unknown, _=_)))
    if len(kept) > max_types:
        notice = _("The link names {count} consumer types; the page compares up to {limit}.")
        notices.append(notice.format(count=len(kept), limit=max_types))
    return tuple(kept[:max_types]) or None, tuple(notices)


def _comparing(values: Mapping[str, Any]) -> bool:
    return values.get("compare") is not None


def _not_comparing(values: Mapping[str, Any]) -> bool:
    return values.get("compare") is None


def _comparing_types(values: Mapping[str, Any]) -> bool:
    return values.get("compare") == "types"


def _as_is(value: str) -> tuple[str]:
    return (value,)


def _on(value: bool) -> tuple[str]:
    """A flag is written only when on (off is its default)."""
    return ("1",)


def _multiples(value: bool) -> tuple[str]:
    return ("multiples",)


def _zone(zone: str) -> tuple[str]:
    return (LINK_VALUE_BY_ZONE[zone],)


def _types(types: tuple[str, ...]) -> tuple[str]:
    return (",".join(types),)


def link_params(
    area_options: Sequence[str],
    consumer_type_options: Sequence[str],
    max_types: int = MAX_COMPARED,
    _: Translate = N_,
    language: str | None = None,
) -> list[LinkParam]:
    """The page's link parameters for the series the API serves (the first option is each default),
    with notices in the page's language (`_`). With a `language` (the browser's: the default) the
    link also carries `lang` once the viewer picks another language, so a link without `lang` opens
    in each viewer's own language and one with it in the language it names."""
    area = partial(parse_choice, area_options, AREA_NOTICE, partial(area_choice_label, _=_), _)
    consumer_type = partial(
        parse_choice, consumer_type_options, CONSUMER_TYPE_NOTICE, partial(consumer_type_choice_label, _=_), _
    )
    types = partial(parse_types, codes_only(consumer_type_options), max_types, _=_)
    params = [
        LinkParam("area", ("area",), area_options[0], area, _as_is, always=True),
        LinkParam("consumer_type", ("consumer_type",), consumer_type_options[0], consumer_type, _as_is, always=True),
        LinkParam("zone", ("tz",), DANISH_TIME, partial(parse_zone, _=_), _zone, always=True),
        LinkParam("compare", ("compare",), None, partial(parse_compare, _=_), _as_is),
        LinkParam("types", ("types",), None, types, _types, relevant=_comparing_types),
        LinkParam("share", ("share",), False, partial(parse_flag, "share", _=_), _on, relevant=_comparing),
        LinkParam("layout", ("layout",), False, partial(parse_layout, _=_), _multiples, relevant=_comparing),
        LinkParam("past", ("past",), False, partial(parse_flag, "past", _=_), _on, relevant=_not_comparing),
    ]
    if language is not None:
        params.append(language_param(language, _))
    return params


def compare_state(values: Mapping[str, Any], codes: Sequence[str]) -> dict[str, Any]:
    """The compare and overlay widgets' values for what the link asks (`values` from `read_link`)."""
    return {
        "compare": values["compare"] is not None,
        "compare_by": COMPARE_BY[values["compare"] == "areas"],
        "compare_types": list(values["types"] or codes[:DEFAULT_COMPARED]),
        "compare_share": values["share"],
        "compare_layout": LAYOUTS[values["layout"]],
        "past_forecasts": values["past"],
    }


def link_values(state: Mapping[str, Any]) -> dict[str, Any]:
    """What the link should say for the page's widgets (their session state)."""
    compare = None
    if state.get("compare"):
        compare = "areas" if state.get("compare_by") == COMPARE_BY[True] else "types"
    return {
        "area": state.get("area"),
        "consumer_type": state.get("consumer_type"),
        "zone": state.get("zone", DANISH_TIME),
        "compare": compare,
        "types": tuple(state.get("compare_types") or ()) or None,
        "share": bool(state.get("compare_share")),
        "layout": state.get("compare_layout") == LAYOUTS[True],
        "past": bool(state.get("past_forecasts")),
        **({"lang": state["language"]} if state.get("language") else {}),
    }
