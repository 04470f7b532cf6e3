"""Which OTEL_* variables turn tracing on, and the sampler they choose (docs: configuration)."""

from __future__ import annotations

import pytest

from app.core import tracing
from app.core.tracing import TracingConfigError, sampler_of, wanted
from tests.support.server import termsgate

ENDPOINT = "http://collector:4318"


@pytest.mark.parametrize(
    ("environ", "on"),
    [
        ({}, False),
        ({"OTEL_SERVICE_NAME": "termsgate", "OTEL_TRACES_SAMPLER": "always_on"}, False),
        ({"OTEL_TRACES_EXPORTER": "otlp"}, True),
        ({"OTEL_TRACES_EXPORTER": " OTLP "}, True),
        ({"OTEL_EXPORTER_OTLP_ENDPOINT": ENDPOINT}, True),
        ({"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": f"{ENDPOINT}/v1/traces"}, True),
        ({"OTEL_TRACES_EXPORTER": "none", "OTEL_EXPORTER_OTLP_ENDPOINT": ENDPOINT}, False),
        ({"OTEL_TRACES_EXPORTER": "otlp", "OTEL_SDK_DISABLED": "true"}, False),
        ({"OTEL_TRACES_EXPORTER": "otlp", "OTEL_SDK_DISABLED": "false"}, True),
        ({"OTEL_TRACES_EXPORTER": "otlp", "OTEL_EXPORTER_OTLP_PROTOCOL": "http/protobuf"}, True),
    ],
)
def test_tracing_is_off_unless_an_exporter_or_an_endpoint_is_named(
    environ: dict[str, str], on: bool
) -> None:
    assert wanted(environ) is on


@pytest.mark.parametrize(
    "environ",
    [
        {"OTEL_TRACES_EXPORTER": "zipkin"},
        {"OTEL_TRACES_EXPORTER": "otlp", "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"},
        {"OTEL_EXPORTER_OTLP_ENDPOINT": ENDPOINT, "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL": "grpc"},
    ],
)
def test_an_exporter_or_protocol_not_supported_stops_the_start(environ: dict[str, str]) -> None:
    with pytest.raises(TracingConfigError):
        wanted(environ)


def test_the_default_sampler_follows_the_caller_and_keeps_one_trace_in_a_hundred() -> None:
    description = sampler_of({}).get_description()
    assert description.startswith("ParentBased{root:TraceIdRatioBased{0.01}")
    assert tracing.DEFAULT_RATIO == 0.01


@pytest.mark.parametrize(
    ("environ", "starts"),
    [
        ({"OTEL_TRACES_SAMPLER_ARG": "0.25"}, "ParentBased{root:TraceIdRatioBased{0.25}"),
        ({"OTEL_TRACES_SAMPLER": "always_on"}, "AlwaysOnSampler"),
        ({"OTEL_TRACES_SAMPLER": "traceidratio", "OTEL_TRACES_SAMPLER_ARG": "0.5"}, "TraceIdRatio"),
        ({"OTEL_TRACES_SAMPLER": "parentbased_always_off"}, "ParentBased{root:AlwaysOffSampler"),
    ],
)
def test_the_sampler_is_the_one_otel_traces_sampler_names(
    environ: dict[str, str], starts: str
) -> None:
    assert sampler_of(environ).get_description().startswith(starts)


@pytest.mark.parametrize(
    "environ",
    [
        {"OTEL_TRACES_SAMPLER": "jaeger_remote"},
        {"OTEL_TRACES_SAMPLER_ARG": "1.5"},
        {"OTEL_TRACES_SAMPLER_ARG": "half"},
    ],
)
def test_a_sampler_not_known_stops_the_start(environ: dict[str, str]) -> None:
    with pytest.raises(TracingConfigError):
        sampler_of(environ)


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", True),
        ("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00", True),
        ("00-00000000000000000000000000000000-00f067aa0ba902b7-01", False),
        ("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01", False),
        ("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", False),
        ("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01", False),
        ("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra", False),
    ],
)
def test_only_a_valid_version_00_traceparent_is_passed_on(value: str, valid: bool) -> None:
    assert tracing.incoming([(b"traceparent", value.encode())]) == (value if valid else None)


def test_a_command_refuses_a_bad_otel_variable_in_one_line() -> None:
    ran = termsgate("migrate", env={"OTEL_TRACES_EXPORTER": "zipkin"})

    assert ran.returncode == 2
    assert ran.stderr.strip() == (
        "termsgate: invalid configuration: "
        "OTEL_TRACES_EXPORTER=zipkin: only otlp (or none) is known"
    )
