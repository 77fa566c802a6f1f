"""Reading a Prometheus text exposition with `prometheus_client`'s own parser (no regexes over /metrics)."""

from prometheus_client.parser import text_string_to_metric_families

SampleKey = tuple[str, frozenset[tuple[str, str]]]


def samples(exposition: str) -> dict[SampleKey, float]:
    """Every sample of the exposition, keyed by (name, labels)."""
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(exposition)
        for sample in family.samples
    }


def sample_value(exposition: str, name: str, **labels: str) -> float:
    """The value of one sample; KeyError naming it when the exposition lacks it."""
    key = (name, frozenset(labels.items()))
    found = samples(exposition)
    if key not in found:
        raise KeyError(f"no sample {name}{labels or ''} in the exposition")
    return found[key]


def sample_labels(exposition: str, name: str) -> list[dict[str, str]]:
    """The label sets of every sample called `name` (for info metrics such as `api_worker_info`)."""
    return [dict(labels) for sample_name, labels in samples(exposition) if sample_name == name]
