"""No 身份证号 or phone number in the server's logs: the server installs jiuye.logmask (every
logger of the process, uvicorn's access log included)."""
from __future__ import annotations

from jiuye.logmask import MaskFilter, install, mask

__all__ = ["MaskFilter", "install", "mask"]
