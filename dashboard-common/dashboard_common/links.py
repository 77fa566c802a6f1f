"""Link parameters, the one way both dashboards read and write them.

A page describes each parameter of its link as data (`LinkParam`): its query names, its default, how
to read it and how to write it. Links are typed by hand and outlive the data they point at, so every
value is checked: `read_link` gives the value to use (the default when the link's cannot be used)
and a notice saying what the link asked and what is shown instead. Notices quote the link's values
with `dashboard_common.linktext.quoted`, so a value is shown as text, never as Markdown or HTML.
`write_link` makes the page's query carry the page's choices, touching only the page's own
parameters and only those whose text changed: parameters the page does not own (a widget bound to
the URL, `utm_*`) stay, and a run that changes nothing sends nothing to the browser.
"""

from collections.abc import Callable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

T = TypeVar("T")

Raw = tuple[str | None, ...]
"""The query's values for a parameter's names, in order; None where the link has no such name."""
Parsed = tuple[Any, tuple[str, ...]]
"""(the value, or None for the default; the notices for what could not be used)."""


def _always(values: Mapping[str, Any]) -> bool:
    return True


@dataclass(frozen=True)
class LinkParam(Generic[T]):
    """One parameter of a page's link.

    `parse` is called only when the link has at least one of `names`; an absent parameter is the
    default without a notice. A parameter without `unparse` is only read (its names belong to a
    widget bound to the URL). `always` writes it even at its default (the parameters a fresh link
    shows); `relevant` leaves it out of the link while the page's other choices make it moot.
    """

    key: str
    names: tuple[str, ...]
    default: T
    parse: Callable[[Raw], Parsed]
    unparse: Callable[[T], tuple[str, ...]] | None = None
    always: bool = False
    relevant: Callable[[Mapping[str, Any]], bool] = _always


@dataclass(frozen=True)
class LinkReading:
    """What a link asks for: a value for every parameter's key, and notices by key."""

    values: dict[str, Any]
    notices: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def notices_for(self, keys: Sequence[str] | None = None) -> list[str]:
        """The notices of `keys` (all when None), in the page's parameter order."""
        return [notice for key, found in self.notices.items() if keys is None or key in keys for notice in found]


def read_link(query: Mapping[str, str], params: Sequence[LinkParam]) -> LinkReading:
    """Every parameter's value from the link's query, with a notice for each value that could not be used."""
    values: dict[str, Any] = {}
    notices: dict[str, tuple[str, ...]] = {}
    for param in params:
        raw = tuple(query.get(name) for name in param.names)
        value, found = (None, ()) if all(part is None for part in raw) else param.parse(raw)
        values[param.key] = param.default if value is None else value
        if found:
            notices[param.key] = tuple(found)
    return LinkReading(values, notices)


def write_link(query: MutableMapping[str, str], params: Sequence[LinkParam], values: Mapping[str, Any]) -> None:
    """Make `query` carry `values`: only `params`' names, only where the text differs; a parameter at
    its default (unless `always`) or not relevant to the other values is removed."""
    for param in params:
        if param.unparse is None:
            continue
        value = values.get(param.key, param.default)
        if not param.relevant(values) or (value == param.default and not param.always):
            for name in param.names:
                if name in query:
                    del query[name]
            continue
        for name, text in zip(param.names, param.unparse(value), strict=True):
            if query.get(name) != text:
                query[name] = text
