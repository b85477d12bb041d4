"""The queue's consumer as a process: `jiuye worker`, and the child that `jiuye serve` starts on the
embedded default (``python -m jiuye.store.worker``)."""
from __future__ import annotations

import logging
import sys


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    from jiuye.store.queue import QueueConfigError, run_worker

    try:
        run_worker()
    except QueueConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
