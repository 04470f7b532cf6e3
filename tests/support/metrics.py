"""GET /metrics read back as samples."""

from __future__ import annotations

from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families


def samples(client: TestClient) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    text = client.get("/metrics").text
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def sample(client: TestClient, name: str, **labels: str) -> float:
    """One sample's value as GET /metrics shows it; 0 when it is not there yet."""
    return samples(client).get((name, tuple(sorted(labels.items()))), 0.0)
