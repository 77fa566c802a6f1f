"""What the public is told when data cannot be served: the reason in words a caller can use, without
internal identities; and the kind of error, a small fixed set, for `/metrics`.

The data store records reasons for operators: they quote the storage's own exceptions (a GCS 403
names the service account and the bucket; gcsfs, aiohttp and pyarrow errors can carry addresses and
file paths of the host). `/ready`, `/freshness` and every 503 body are public, so the routes pass the
store's reasons through `public_reason` on the way out; the log keeps them in full.

- A third-party exception quoted by the store (`cannot list <url>: <Type>: <message>`, `cannot read
  <object>: <Type>: <message>`, `refresh failed: <Type>: <message>`) becomes the kind of error in our
  words, e.g. "cannot list the bucket: permission denied".
- The storage's address is "the bucket".
- Everything else is the store's own wording and passes, after a last scrub of anything that still
  looks like an e-mail address (a service account), a URL or an absolute path.
"""

import re
from typing import Literal

ErrorKind = Literal["permission_denied", "not_found", "timeout", "unreachable", "unreadable", "rejected", "other"]
ERROR_KINDS: tuple[ErrorKind, ...] = (
    "permission_denied",
    "not_found",
    "timeout",
    "unreachable",
    "unreadable",
    "rejected",
    "other",
)
KIND_WORDS: dict[ErrorKind, str] = {
    "permission_denied": "permission denied (check the service account's read access to the bucket)",
    "not_found": "not found (check the bucket's name and prefix)",
    "timeout": "the storage did not answer in time",
    "unreachable": "the storage could not be reached",
    "unreadable": "not a readable parquet file",
    "rejected": "rejected by the data checks",
    "other": "an unexpected error (the service's log has the details)",
}
# Checked in this order: a GCS 403 says "(or it may not exist)", and is still a permission problem;
# pyarrow says "magic bytes not found" of a file that is there.
_KIND_PATTERNS: tuple[tuple[ErrorKind, re.Pattern[str]], ...] = (
    (
        "permission_denied",
        re.compile(
            r"\b(403|401)\b|forbidden|permission|access ?denied|unauthori[sz]ed|credential|refresherror|"
            r"invalid_grant|does not have storage\.",
            re.IGNORECASE,
        ),
    ),
    ("unreadable", re.compile(r"parquet file|arrow|magic bytes|footer|corrupt|thrift", re.IGNORECASE)),
    ("not_found", re.compile(r"\b404\b|not ?found|no such|does not exist|disappeared", re.IGNORECASE)),
    ("timeout", re.compile(r"timeout|timed out", re.IGNORECASE)),
    (
        "unreachable",
        re.compile(
            r"connect|connection|name or service|name resolution|unreachable|server ?disconnected|"
            r"\b50[0-4]\b|service unavailable|ssl",
            re.IGNORECASE,
        ),
    ),
    ("rejected", re.compile(r"\brejected\b|over the limit|expected (integers|numbers)", re.IGNORECASE)),
)

# Where one recorded error ends and the next begins (the store joins them with "; ").
_NEXT_ERROR = r"; (?=cannot (?:list|read) |refresh failed: |[\w.]+\.(?:parquet|json)\b|the snapshot |Data is )"
_SPLIT = re.compile(_NEXT_ERROR)
# The store's forms that quote an exception (`<Type>: <message>`) after words of its own.
_QUOTED_EXCEPTION = re.compile(
    r"^(?P<ours>cannot list|cannot read [\w.]+|refresh failed)(?: \S+)?: (?P<raw>.*)$", re.DOTALL
)
_STILL_LOADING = re.compile(r"^Data is still loading from \S+$")
_NOT_AVAILABLE = re.compile(r"^Data is not available from \S+: (?P<rest>.*)$", re.DOTALL)
_PARQUET_DETAIL = re.compile(r"^(?P<ours>[\w.]+ is not a readable parquet file)(?::.*)?$", re.DOTALL)
_LAST_GOOD = "; serving the last good copy"
_OBJECT_NAME = re.compile(r"\b[\w-]+\.(?:parquet|json)\b")
# The last scrub, for text of unknown origin: service accounts, URLs (gs://, https://, file://), paths.
_IDENTITIES = (
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), "[an account]"),
    (re.compile(r"\b(?:gs|gcs|s3|file|https?)://\S+"), "[an address]"),
    (re.compile(r"(?<![\w.~])/(?:[\w.@-]+/)+[\w.@-]*"), "[a path]"),
    (re.compile(r"\bprojects/[\w-]+", re.IGNORECASE), "projects/[a project]"),
)


def error_kind(raw: str) -> ErrorKind:
    """The kind of one recorded error, from the exception's type and message or the store's words."""
    text = _OBJECT_NAME.sub("the object", raw)  # 'y.parquet' says nothing about what went wrong
    for kind, pattern in _KIND_PATTERNS:
        if pattern.search(text):
            return kind
    return "other"


def error_kinds(raw: str | None) -> set[ErrorKind]:
    """The kinds of every error a reason (several joined with "; ") records; none for no reason."""
    if not raw:
        return set()
    kinds = set()
    for part in _SPLIT.split(raw):
        quoted = _QUOTED_EXCEPTION.match(part.removesuffix(_LAST_GOOD))
        kinds.add(error_kind(quoted["raw"] if quoted else _without_address(part)))
    return kinds


def public_reason(raw: str | None) -> str | None:
    """`raw` (a reason the store recorded) as the public may read it; None stays None."""
    if raw is None:
        return None
    return "; ".join(_public_part(part) for part in _SPLIT.split(raw))


def _public_part(part: str) -> str:
    suffix = _LAST_GOOD if part.endswith(_LAST_GOOD) else ""
    core = part.removesuffix(suffix)
    if _STILL_LOADING.match(core):
        return "Data is still loading from the bucket"
    not_available = _NOT_AVAILABLE.match(core)
    if not_available:
        return f"Data is not available from the bucket: {public_reason(not_available['rest'])}"
    quoted = _QUOTED_EXCEPTION.match(core)
    if quoted:
        ours = "cannot list the bucket" if quoted["ours"] == "cannot list" else quoted["ours"]
        return f"{ours}: {KIND_WORDS[error_kind(quoted['raw'])]}{suffix}"
    parquet = _PARQUET_DETAIL.match(core)
    if parquet:
        return parquet["ours"] + suffix
    return _scrubbed(core) + suffix


def _without_address(part: str) -> str:
    """The part without the storage's address, so a bucket named "forbidden-data" is no permission problem."""
    return re.sub(r"^(cannot list|Data is (?:still loading|not available) from) \S+", r"\1", part)


def _scrubbed(text: str) -> str:
    for pattern, replacement in _IDENTITIES:
        text = pattern.sub(replacement, text)
    return text
