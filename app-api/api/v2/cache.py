"""What `/api/v2` keeps per snapshot, outside it: the default answer of every series, rendered before the swap.

The default form of `/series/{area}/{consumer_type}` (UTC, latest week, JSON) is the most asked-for
answer, so it is rendered in the refresh thread for every series and total before the snapshot is
served (the store's `prepare`), and looked up. Every other form is built per request by
`api.v2.answers` (kept, single flight, bounded), also keyed by the snapshot and outside it.
"""

from api.http_caching import RenderedBody
from api.rendering import PerSnapshot, json_body
from api.snapshot import Snapshot
from api.totals import SeriesKey
from api.v2.bodies import series_body

DefaultSeries = dict[SeriesKey, RenderedBody]


def default_series_bodies(snapshot: Snapshot) -> DefaultSeries:
    """Every series' and total's default answer, rendered once (gzip level 6, as every prerendered body)."""
    return {key: json_body(series_body(data, "UTC"), level=6) for key, data in snapshot.catalog.series.items()}


def default_series_cache() -> PerSnapshot[DefaultSeries]:
    return PerSnapshot(default_series_bodies)
