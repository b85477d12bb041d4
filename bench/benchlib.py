"""What the benches share: a `jiuye serve` on a free local port, and percentiles of timings.
Imported by the bench scripts (run directly or through bench/run.py; both put bench/ on sys.path)."""
from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from pathlib import Path


def free_port() -> int:
    with socket.socket() as so:
        so.bind(("127.0.0.1", 0))
        return so.getsockname()[1]


def percentile(samples, q: float) -> float:
    """The q-quantile (0–1) of `samples`, nearest rank."""
    ordered = sorted(samples)
    return ordered[max(0, min(len(ordered) - 1, int(round(len(ordered) * q)) - 1))]


@contextlib.contextmanager
def served(var: Path, **env_over: str):
    """`jiuye serve` on a free port with its own $JIUYE_VAR_DIR (and the given environment); yields its base
    URL once /healthz answers, stops it on exit. The database, queue and clock are the embedded defaults
    unless given (a pinned JIUYE_NOW / JIUYE_TODAY of the caller is dropped)."""
    import httpx

    port = free_port()
    env = {**os.environ, "JIUYE_VAR_DIR": str(var)}
    for k in ("JIUYE_DATABASE_URL", "JIUYE_QUEUE_URL", "JIUYE_NOW", "JIUYE_TODAY"):
        env.pop(k, None)
    env.update(env_over)
    proc = subprocess.Popen([str(Path(sys.executable).parent / "jiuye"), "serve", "--port", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"jiuye serve exited with {proc.returncode}")
            try:
                if httpx.get(f"{base}/healthz", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("jiuye serve did not become ready")
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
