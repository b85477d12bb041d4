"""What service a question asks for (issue 19, item 6): a job, 打工直通车, odd jobs, a fair, a course, a
start-up project — from data/ask/intents.yaml. Ask only names the intent and the words to search with;
the web layer asks the service (jiuye.web.front_door): ask/ imports no service package.

A question about a policy — its rules, money, eligibility, materials, how long — is not a request for a
service, even when it names a job, a course or a start-up ("SYB培训谁能参加", "创业项目库是啥"): the aspects it
asks (data/ask/aspects.yaml: 定义, 条件, 材料, 标准, 期限, 停发, chosen in intents.yaml `policy_question`) and the
words of rules and money there mark it. Among the services a question names, the specific one wins over a
generic one (jobs): "有没有搬砖的活 日结" is odd work, "有招聘会吗 想找个会计的活" a fair.

Those cue lists were written from two sets of questions and missed a third of the next ones (README, 问政策 ›
服务入口的意图分类器). So an intent classifier learnt from blind-written service questions (classifier.IntentClassifier,
set on `model` by the engine) decides when it is sure; the cues and `not_with` decide when it is not."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jiuye.knowledge.loader import parse_yaml



class IntentError(ValueError):
    pass


@dataclass(frozen=True)
class Intent:
    id: str
    label: str
    service: str
    fallback_url: str
    fallback_label: str
    cues: tuple[str, ...]
    strip: tuple[str, ...]
    patterns: tuple[re.Pattern, ...] = ()
    generic: bool = False  # found beside a more specific intent, it comes after it
    priority: int = 0  # found beside others, the higher priority comes first (an employer's wording)

    def strength(self, text: str) -> int:
        """The length of the longest cue or pattern match in the text (0: the intent is not asked for)."""
        hits = [len(c) for c in self.cues if c in text]
        hits += [len(m.group(0)) for p in self.patterns for m in [p.search(text)] if m]
        return max(hits, default=0)


class IntentFinder:
    def __init__(self, path: Path, aspects: dict[str, Any] | None = None):
        """`aspects`: data/ask/aspects.yaml's aspects (their `query` cues mark what a question asks about)."""
        doc = parse_yaml(path.read_text(encoding="utf-8")) if path.exists() else {}
        policy = doc.get("policy_question") or {}
        unknown = [a for a in policy.get("aspects", []) if aspects is not None and a not in aspects]
        if unknown:
            raise IntentError(f"{path.name}：policy_question.aspects 中的「{'、'.join(map(str, unknown))}」不是 aspects.yaml 的方面")
        requests = {str(w) for w in policy.get("except", [])}
        asked = [str(w) for a in policy.get("aspects", []) for w in (aspects or {}).get(a, {}).get("query", [])]
        self.not_with = tuple(dict.fromkeys([str(w) for w in doc.get("not_with", [])] + [str(w) for w in policy.get("words", [])]
                                            + [w for w in asked if w not in requests]))
        self.strip = tuple(str(w) for w in doc.get("strip", []))
        self.names = tuple(sorted({str(w) for w in doc.get("names", [])}, key=len, reverse=True))
        self.request_words = tuple(str(w) for w in doc.get("request_words", []))
        self.trouble_words = tuple(str(w) for w in doc.get("trouble_words", []))
        # the search text keeps words, not characters: with a tagger (the engine's jieba, set as `tagger`) the words of
        # these parts of speech (pronouns, numerals, particles …) are dropped whole — 我们 is not cut to 们
        self.query_drop_tags = frozenset(str(t) for t in doc.get("query_drop_tags", []))
        self.tagger = None
        model = doc.get("model") or {}
        # the intent classifier (classifier.IntentClassifier, set by the engine) decides when it is this sure
        self.min_prob = float(model.get("min_prob", 1.0))
        # … and overrules `not_with` (a question about a policy) only when it is this sure of a service
        self.over_policy_prob = float(model.get("over_policy_prob", 1.0))
        self.model = None
        self.intents: list[Intent] = []
        for key, raw in (doc.get("intents") or {}).items():
            fb = raw.get("fallback") or {}
            if not raw.get("cues") or not fb.get("url", "").startswith("/") or not raw.get("service"):
                raise IntentError(f"{path.name}：意图「{key}」须有 cues、service 和以 / 开头的 fallback.url")
            try:
                patterns = tuple(re.compile(str(p)) for p in raw.get("patterns", []))
            except re.error as exc:
                raise IntentError(f"{path.name}：意图「{key}」的 patterns 写错了：{exc}") from exc
            self.intents.append(Intent(str(key), str(raw["label"]), str(raw["service"]), str(fb["url"]),
                                       str(fb.get("label") or raw["label"]), tuple(str(c) for c in raw["cues"]),
                                       tuple(str(w) for w in raw.get("strip", [])), patterns, bool(raw.get("generic")),
                                       int(raw.get("priority", 0))))

    @property
    def classes(self) -> list[str | None]:
        """The intent classifier's classes: None (no service asked for), then the intents in their order."""
        return [None] + [it.id for it in self.intents]

    def asks_about_a_policy(self, text: str) -> bool:
        return any(w in text for w in self.not_with)

    @staticmethod
    def model_text(text: str, districts: dict[str, str] | None) -> str:
        """The question without place names: what the intent classifier reads (乌兰浩特想打零工 asks what 想打零工 asks)
        and where the search text starts (the district is passed to the service apart)."""
        for name in sorted(districts or {}, key=len, reverse=True):
            if len(name) >= 2:
                text = text.replace(name, " ")
        return " ".join(text.split())

    def learnt(self, text: str, districts: dict[str, str] | None = None) -> tuple["Intent | bool | None", float]:
        """What the intent classifier says when it is sure (probability ≥ `model.min_prob`): the intent, or False for
        no service, with its probability; None when it is unsure or absent (the cues and `not_with` decide)."""
        if self.model is None:
            return None, 0.0
        p = self.model.probabilities(self.model.decision(self.model_text(text, districts)))
        k = int(p.argmax())
        if p[k] < self.min_prob:
            return None, float(p[k])
        return (self.intents[k - 1] if k else False), float(p[k])

    def asks_outright(self, text: str) -> bool:
        """The question asks for a service in so many words (`request_words`: 想找, 找个, 想学, 有没有 …)."""
        return any(w in text for w in self.request_words)

    def model_knows(self, intent: Intent) -> bool:
        """Whether the classifier learnt the intent from any question (an untrained class never wins)."""
        return self.model is None or self.model.trained(self.intents.index(intent) + 1)

    def detect(self, text: str, districts: dict[str, str] | None = None, drop: tuple[str, ...] = (),
               beside_refusal: bool = False) -> list[dict[str, Any]]:
        """The intents a (normalised) question asks for, each with the text to search with: the question without the
        cue words, filler, district names and the words in `drop`. The intent classifier's, when it is sure, comes
        first (or none at all); then those the cues find, specific before generic, the strongest (longest cue) first.
        None for a question about a policy, unless the classifier is all but sure or the question asks outright.

        `beside_refusal`: the question is refused as outside the documents. It gets a service unless it tells of a
        trouble with its topic (`trouble_words`) without asking for a service outright (`request_words`):
        「招聘会上认识的老板不给交医保咋办」 names the fair where it happened, it does not ask for one."""
        if not text:
            return []
        if beside_refusal and any(w in text for w in self.trouble_words) and not self.asks_outright(text):
            return []
        asked = text
        for name in self.names:
            asked = asked.replace(name, " ")
        found = [(it.strength(asked), it) for it in self.intents]
        found = [it for _, it in sorted([f for f in found if f[0]], key=lambda x: (-x[1].priority, x[1].generic, -x[0]))]
        learnt, sure = self.learnt(text, districts)
        if found and not self.model_knows(found[0]):
            learnt = None  # a service the classifier has no questions for (公益性岗位): the cues decide
        if self.asks_about_a_policy(text) and not (learnt and (sure >= self.over_policy_prob or self.asks_outright(text))):
            return []  # a policy word, and no sure classifier or request in so many words (想学护理员 … 要钱吗)
        if learnt is not None:  # the classifier is sure: its intent first (or none), the cues' others after it
            if learnt is False:
                return []
            found = [learnt] + [it for it in found if it is not learnt]
        text = asked
        out = []
        for it in found:
            words = self._search_words(self.model_text(text, districts), set(it.strip) | set(self.strip) | set(drop))
            out.append({"id": it.id, "label": it.label, "service": it.service, "query": " ".join(words),
                        "fallback_url": it.fallback_url, "fallback_label": it.fallback_label})
        return out

    def _search_words(self, query: str, strip: set[str]) -> list[str]:
        """The words to search a service with: the question less its cue and filler phrases (`strip`); with a tagger,
        less whole words of `query_drop_tags` and filler words (饭店缺两个服务员 → 饭店 服务员), else less filler
        characters. A lone character left over (交, 上) searches nothing."""
        phrases = sorted((w for w in strip if len(w) > 1 or self.tagger is None), key=len, reverse=True)
        for w in phrases:
            query = query.replace(w, " ")
        if self.tagger is not None:
            words = [w for part in query.split() for w, tag in self.tagger(part)
                     if w not in strip and (any(c.isdigit() for c in w) or tag not in self.query_drop_tags)]
        else:
            words = query.split()
        return [w for w in words if len(w) > 1 or w.isdigit()]
