"""Totals over observed series: a price area over all consumer types, a consumer type over both areas,
and the whole country, as `/api/v2` addresses them with `all`.

A total's members are the observed series (in X, with observations in y) that match. An hour belongs
to a total only where every member has a value for it, so a gap in one member is a gap in the total,
never a dip. Area 0 (DK) is itself the whole country in the pipeline's encoding, so it is not added to
DK1 and DK2 again: `all` sums the price areas, and means area 0 only where no price area is present.
"""

import numpy as np

ALL = "all"

AreaCode = int | str  # an area code, or ALL
ConsumerTypeCode = int | str  # a DE35 code, or ALL
SeriesKey = tuple[AreaCode, ConsumerTypeCode]
HourlyValues = tuple[np.ndarray, np.ndarray]  # (hours since the epoch ascending, finite float64 values)

EMPTY: HourlyValues = (np.empty(0, dtype=np.int64), np.empty(0))
WHOLE_COUNTRY_AREA = 0


def total_members(observed_keys: list[tuple[int, int]]) -> dict[SeriesKey, list[tuple[int, int]]]:
    """Every total that has at least one member, with its members in a fixed order."""
    keys = sorted(observed_keys)
    areas = sorted({area for area, _ in keys})
    consumer_types = sorted({consumer_type for _, consumer_type in keys})
    price_areas = [area for area in areas if area != WHOLE_COUNTRY_AREA] or areas
    groups: dict[SeriesKey, list[tuple[int, int]]] = {}
    for area in areas:
        groups[(area, ALL)] = [key for key in keys if key[0] == area]
    for consumer_type in consumer_types:
        groups[(ALL, consumer_type)] = [key for key in keys if key[1] == consumer_type and key[0] in price_areas]
    groups[(ALL, ALL)] = [key for key in keys if key[0] in price_areas]
    return {key: members for key, members in groups.items() if members}


def sum_where_all_present(members: list[HourlyValues]) -> HourlyValues:
    """The hourly sum of `members`, over the hours every member has (the gap rule)."""
    if not members or any(hours.size == 0 for hours, _ in members):
        return EMPTY
    if len(members) == 1:
        return members[0]
    first = min(int(hours[0]) for hours, _ in members)
    last = max(int(hours[-1]) for hours, _ in members)
    total = np.zeros(last - first + 1)
    present = np.zeros(last - first + 1, dtype=np.int32)
    for hours, values in members:
        total[hours - first] += values
        present[hours - first] += 1
    complete = present == len(members)
    return np.arange(first, last + 1, dtype=np.int64)[complete], total[complete]
