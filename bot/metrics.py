"""The bot's Prometheus metrics, served as text on ``GET /metrics``, and the small calls that move them.

Every metric lives here, in one registry of the process's own (not prometheus-client's global
one, which would also carry whatever else the process imports). Code that has something to
count calls one of the functions below; nothing else touches a metric object. Counters only
go up, so a test (or a dashboard) reads the change between two scrapes.

Labels are fixed vocabularies (request kinds, outcomes, job names, Web API method names), never
ids or people's words, so the number of series stays small.
"""

from __future__ import annotations

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest

# Slack wants an acknowledgement within 3 seconds; the buckets are finest below that.
ACK_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0)
SWEEP_BUCKETS = (0.1, 0.5, 1.0, 5.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0)
CONTENT_TYPE = CONTENT_TYPE_LATEST


class Metrics:
    """One registry and its metrics; a process has one (:data:`METRICS`)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter("lead_requests", "Slack requests handled, by kind and outcome",
                                ("kind", "outcome"), registry=self.registry)
        self.ack_seconds = Histogram("lead_ack_seconds", "Time from a Slack request's arrival to its acknowledgement",
                                     ("kind",), buckets=ACK_BUCKETS, registry=self.registry)
        self.scheduled_sends = Counter("lead_scheduled_sends", "Scheduled deliveries, by job and outcome",
                                       ("job", "outcome"), registry=self.registry)
        self.rate_limited = Counter("lead_slack_rate_limited", "Web API answers of 429 Too Many Requests",
                                    ("method",), registry=self.registry)
        self.sweep_seconds = Histogram("lead_sweep_seconds", "How long one sweep of a scheduled job took",
                                       ("job",), buckets=SWEEP_BUCKETS, registry=self.registry)
        self.ledger_backlog = Gauge("lead_ledger_backlog",
                                    "Deliveries claimed but not finished (in flight, or waiting for a retry)",
                                    registry=self.registry)


METRICS = Metrics()


def request_handled(kind: str, outcome: str, seconds: float) -> None:
    """A Slack request answered: ``outcome`` is ``ok``, ``error`` (5xx) or ``refused`` (never reached Bolt)."""
    METRICS.requests.labels(kind=kind, outcome=outcome).inc()
    if outcome != "refused":
        METRICS.ack_seconds.labels(kind=kind).observe(seconds)


def scheduled_send(job: str, outcome: str) -> None:
    """One scheduled item finished with ``outcome`` (``sent``, ``recovered``, ``skipped``, ``failed``, ``held``)."""
    METRICS.scheduled_sends.labels(job=job, outcome=outcome).inc()


def rate_limited(method: str) -> None:
    METRICS.rate_limited.labels(method=method).inc()


def sweep_finished(job: str, seconds: float) -> None:
    METRICS.sweep_seconds.labels(job=job).observe(seconds)


def ledger_backlog(count: int) -> None:
    METRICS.ledger_backlog.set(count)


def render() -> bytes:
    """The exposition text of every metric."""
    return bytes(generate_latest(METRICS.registry))
