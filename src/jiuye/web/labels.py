"""The Chinese names of codes (data/web/labels.yaml): the loader lives in :mod:`jiuye.knowledge.labels`
so that the command line and the domain packages use the same names without importing web/."""
from jiuye.knowledge.labels import CJK, Labels, chinese_part, labels  # noqa: F401

__all__ = ["CJK", "Labels", "chinese_part", "labels"]
