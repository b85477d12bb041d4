"""What the benches share: a free local port for a server under test, and percentiles of timings.
Imported by the bench scripts (run directly or through bench/run.py; both put bench/ on sys.path)."""
from __future__ import annotations

import socket


def free_port() -> int:
    with socket.socket() as so:
        so.bind(("127.0.0.1", 0))
        return so.getsockname()[1]


def percentile(samples, q: float) -> float:
    """The q-quantile (0–1) of `samples`, nearest rank."""
    ordered = sorted(samples)
    return ordered[max(0, min(len(ordered) - 1, int(round(len(ordered) * q)) - 1))]
