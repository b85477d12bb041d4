"""How well Ask finds the service a question asks for (issue 19, item 6), on a set of questions with
the service each asks for (data/eval/ask_services_blind.yaml, written blind from the documents): the
first intent of Ask's answer (what the page offers: beside a refusal for a topic outside the documents only
what is asked for outright) must be the one expected; a question that asks for no service must find none.

The set's labels are mapped to the intents of data/ask/intents.yaml by LABELS (a label the intents do
not have yet counts as missed, never skipped)."""
from __future__ import annotations

import tempfile
from collections import Counter, defaultdict
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from jiuye.knowledge.loader import parse_yaml

# the set's words → data/ask/intents.yaml's ids
LABELS = {"job": "jobs", "fair": "fairs", "gig": "gig", "dagong": "dagong", "course": "training",
          "startup_project": "startup", "incubator": "incubator", "employer_hire": "employer", "welfare_post": "welfare", "none": None}
NAMES = {"job": "招聘岗位", "fair": "招聘会、直播带岗", "gig": "零工", "dagong": "打工直通车", "course": "培训课程",
         "startup_project": "创业项目", "incubator": "孵化基地", "employer_hire": "单位招工", "welfare_post": "公益性岗位", "none": "不是服务请求"}


def load_cases(path: Path) -> list[dict[str, Any]]:
    doc = parse_yaml(path.read_text(encoding="utf-8"))
    cases = doc.get("cases") if isinstance(doc, dict) else None
    if not isinstance(cases, list):
        raise ValueError(f"{path.name}：应有 cases 列表")
    out = []
    for i, c in enumerate(cases, 1):
        if not isinstance(c, dict) or not c.get("q") or c.get("intent") not in LABELS:
            raise ValueError(f"{path.name} 第 {i} 条：须有 q 和 intent（{'、'.join(LABELS)}）")
        out.append(c)
    return out


def evaluate(engine, cases: list[dict[str, Any]]) -> dict[str, Any]:
    """Per label: how many, how many right; overall accuracy; the share of non-requests sent to a service."""
    per: dict[str, Counter] = defaultdict(Counter)
    misses = []
    for c in cases:
        want = LABELS[c["intent"]]
        found = engine.ask(c["q"])["intents"]  # what the page offers: none beside most out-of-scope refusals
        got = found[0]["id"] if found else None
        ok = got == want
        per[c["intent"]]["n"] += 1
        per[c["intent"]]["right"] += ok
        if not ok:
            misses.append({"q": c["q"], "want": want, "got": got})
    n = sum(v["n"] for v in per.values())
    right = sum(v["right"] for v in per.values())
    service = [k for k in per if k != "none"]
    return {"cases": n, "accuracy": right / n if n else 0.0,
            "service_accuracy": (sum(per[k]["right"] for k in service) / max(1, sum(per[k]["n"] for k in service))),
            "none_sent_to_a_service": (1 - per["none"]["right"] / per["none"]["n"]) if per["none"]["n"] else 0.0,
            "per_label": {k: {"n": v["n"], "right": v["right"]} for k, v in sorted(per.items())}, "misses": misses}


@contextmanager
def held_out(engine, set_name: str):
    """For a service set the intent classifier learns from (data/ask/learning.yaml › service_sets): the engine finds
    intents with a classifier trained without that set (seconds), then with its own again. Yields whether the set
    was a learning set (if not, nothing changes)."""
    if set_name not in engine.learning.service_names:
        yield False
        return
    saved = engine.intents.model
    with tempfile.TemporaryDirectory(prefix="jiuye-intents-held-out-") as tmp:
        try:
            engine.intents.model = engine.intent_classifier_without(set_name, Path(tmp))
            yield True
        finally:
            engine.intents.model = saved
