"""`jiuye serve` (what `make serve` runs) starts and answers /healthz."""
from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_answers_healthz_and_a_policy(tmp_path):
    port = _free_port()
    jiuye = Path(sys.executable).parent / "jiuye"
    # the server's output goes to a file, not a pipe nobody reads: the first start logs every demo post's
    # announcement (more than a pipe's 64 KB), and a full pipe stops the server in the middle of a write
    log = (tmp_path / "serve.log").open("wb")
    proc = subprocess.Popen([str(jiuye), "serve", "--port", str(port)], stdout=log, stderr=subprocess.STDOUT)
    try:
        # the first start of a fresh clone migrates var/ and loads every service's demo data (about 7 s on an
        # idle machine, several times that under load): this checks that it comes up, not how fast (make bench)
        deadline = time.monotonic() + 180
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as r:
                    assert json.load(r)["status"] == "ok"
                    break
            except OSError:
                assert proc.poll() is None, (tmp_path / "serve.log").read_text(errors="replace")[-3000:]
                assert time.monotonic() < deadline, "server did not come up"
                time.sleep(0.2)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/policies/unemployment_insurance_benefit") as r:
            assert json.load(r)["materials"]
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        log.close()
