"""Values a hostile or careless caller sends for `tz`, `start`/`end` and `format`: each must give a 200 or
a 4xx with a JSON reason, never a 500 (shared by the hostile-input tests and the schemathesis test)."""

import zoneinfo
from pathlib import Path

import tzdata


def zone_database_folders() -> list[str]:
    """Every folder of every zone database Python may read ('Europe', 'America/Argentina', 'posix', ...).

    `ZoneInfo('Europe')` opened the folder and raised IsADirectoryError on Python 3.11: a 500.
    """
    roots = [Path(path) for path in zoneinfo.TZPATH] + [Path(tzdata.__file__).parent / "zoneinfo"]
    folders = {
        str(folder.relative_to(root))
        for root in roots
        if root.is_dir()
        for folder in root.rglob("*")
        if folder.is_dir()
    }
    return sorted(folders)


ZONE_NEAR_MISSES = [
    "",
    " ",
    ".",
    "..",
    "../",
    "/",
    "//",
    "~",
    "Europe/",
    "/Europe/Copenhagen",
    "Europe//Copenhagen",
    "Europe/Copenhagen/",
    "Europe/Copenhagen/..",
    "Europe/../Europe/Copenhagen",
    "./Europe/Copenhagen",
    "Europe\\Copenhagen",
    "Europe/Copenhagen\x00",
    "\x00",
    "Europe/Copen\nhagen",
    "Europe/Copenhagen ",
    " Europe/Copenhagen",
    "europe/copenhagen",
    "EUROPE/COPENHAGEN",
    "Europe/copenhagen",
    "utc",
    "Utc",
    "Z",
    "GMT+1",
    "UTC+01:00",
    "+01:00",
    "CEST",
    "posixrules",
    "localtime",
    "Factory",
    "posix/Europe/Copenhagen",
    "right/UTC",
    "zoneinfo/UTC",
    "zone.tab",
    "zone1970.tab",
    "tzdata.zi",
    "iso3166.tab",
    "leapseconds",
    "leap-seconds.list",
    "__init__.py",
    "/etc/localtime",
    "/etc/passwd",
    "../../../../etc/passwd",
    "Еurope/Copenhagen",  # Cyrillic Е
    "Europe/Copenhagen\u200b",
    "A" * 63,
    "A" * 64,
    "A" * 65,
    "Europe/" + "A" * 10_000,
    "%00",
    "%2e%2e%2f",
    "${jndi:ldap://x}",
    "Europe/Copenhagen'; DROP TABLE",
]

TIME_NEAR_MISSES = [
    "",
    " ",
    "2024",
    "2024-13-01",
    "2024-02-30",
    "2024-01-01T24:00",
    "2024-01-01T23:60",
    "2024-01-01T00:00:00+25:00",
    "2024-01-01T00:00:00+14:01",
    "2024-01-01T00:00:00-23:59",
    "2024-01-01T00:00:00.999999999",
    "0000-01-01",
    "0001-01-01T00:00:00+14:00",
    "0001-01-01",
    "9999-12-31T23:59:59-14:00",
    "9999-12-31",
    "10000-01-01",
    "-2024-01-01",
    "2024-W01-1",
    "2024-001",
    "20240101T000000Z",
    "2024-01-01T00:00:00Z[Europe/Copenhagen]",
    "2024-01-01 00:00:00 01:00",
    "NaN",
    "inf",
    "-inf",
    "1e10",
    "1700000000",
    "١٢٣٤-٠١-٠١",
    "２０２４-０１-０１",
    "\x00",
    "2024-01-01\x00",
    "9" * 64,
    "2024-01-01T00:00:00+01:00" * 3,
]

FORMAT_NEAR_MISSES = ["", " ", "JSON", "Csv", "PARQUET", "csv ", "json,csv", "xml", "parquet\x00", "pаrquet", "*/*"]
