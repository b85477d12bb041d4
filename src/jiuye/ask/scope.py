"""What Ask does not answer, and where to ask instead.

- Out-of-scope topics (data/ask/out_of_scope.yaml): a question is scanned once, longest phrase first,
  for the topics' triggers and words and for the documents' own terms (`evidence`). A trigger or
  pattern refuses unless the question names enough of the documents' own services (`trigger_evidence`
  evidence phrases); a topic's words refuse only when they outweigh the evidence (each evidence phrase
  counts `evidence_weight` words), so 「领上养老金了还能做失业登记吗」 is answered (失业登记) and
  「养老金每月能领多少」 is not. Both numbers are in data/ask/calibration.yaml, chosen with the refusal
  thresholds (`jiuye eval-ask --calibrate`, and on the other folds under `--cv`).
- Referrals (data/ask/referrals.yaml): the office and hotline for each topic, each marked as resting on
  the documents (a quote checked against the entries) or on common public knowledge.
- Input that is not a Chinese question: Mongolian script, Cyrillic, other scripts, Latin letters,
  emoji or symbols only — each gets a message saying that only Chinese questions are understood for
  now, with the phone numbers.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pypinyin import lazy_pinyin

from jiuye.ask.text import _KEEP
from jiuye.knowledge.loader import DataError, parse_yaml

HOTLINE_TEXT = "全国人社服务热线 12333，兴安盟人力资源和就业服务中心 0482-8231990"
_LATIN_RUN = re.compile(r"[a-z]+")
_CJK = re.compile(r"[\u4e00-\u9fff]")
BASES = {"documents": "资料原文", "public_knowledge": "公开信息（不在两份资料中），请以当地公布为准"}


@dataclass(frozen=True)
class Topic:
    id: str
    label: str
    refer: tuple[str, ...]
    note: str | None
    patterns: tuple[re.Pattern, ...]
    # a decisive topic's trigger refuses whatever else the question names, and the classifiers do not overrule it
    # (北京的失业金: the documents' own word, another place's policy)
    decisive: bool = False


@dataclass
class ScopeHit:
    """What one question says about scope: the topic it names (if any) and why it is or is not refused."""
    topic: Topic | None
    triggers: list[str] = field(default_factory=list)  # the topic's decisive phrases (and patterns) found
    words: list[str] = field(default_factory=list)  # the topic's distinct words found
    evidence: list[str] = field(default_factory=list)  # distinct in-scope phrases found

    def refuse(self, trigger_evidence: float = 2, evidence_weight: float = 2) -> bool:
        if self.topic is None:
            return False
        if self.triggers:
            return self.topic.decisive or len(self.evidence) < trigger_evidence
        return len(self.words) > evidence_weight * len(self.evidence)


class ScopeGuard:
    def __init__(self, ask_dir: Path, kb) -> None:
        oos_path, ref_path = ask_dir / "out_of_scope.yaml", ask_dir / "referrals.yaml"
        self.referrals = _load_referrals(ref_path, kb)
        doc = parse_yaml(oos_path.read_text(encoding="utf-8")) or {}
        self.topics: dict[str, Topic] = {}
        # phrase → (kind, topic id or None); kind: trigger | word | evidence
        self.phrases: dict[str, tuple[str, str | None]] = {}

        def add(phrase: Any, kind: str, topic: str | None, where: str) -> None:
            p = str(phrase).strip().lower()
            if not p:
                raise DataError(f"{oos_path}：{where} 中有空短语")
            dropped = set(_KEEP.findall(p)) | set(re.findall(r"\s", p))  # what prepare turns into (or splits at) a space
            if dropped or p != unicodedata.normalize("NFKC", p):
                # questions are matched after normalisation (text.TextPipeline.prepare): 「n+1」 would never match
                raise DataError(f"{oos_path}：{where} 中的短语「{p}」含有问题规范化时会去掉或改写的字符"
                                f"（「{''.join(sorted(dropped)) or '全角字符'}」），永远匹配不上；请改写，或写成 patterns")
            if p in self.phrases:
                k0, t0 = self.phrases[p]
                raise DataError(f"{oos_path}：短语「{p}」重复出现（{where}，以及 {t0 or 'evidence'} 的 {k0}）；"
                                "每个短语只能属于一个列表")
            self.phrases[p] = (kind, topic)

        for p in doc.get("evidence") or []:
            add(p, "evidence", None, "evidence")
        for n, raw in enumerate(doc.get("topics") or [], 1):
            tid = str(raw.get("id") or "")
            where = f"第 {n} 个话题（{tid or '没有 id'}）"
            if not tid or not raw.get("label"):
                raise DataError(f"{oos_path}：{where} 缺少 id 或 label")
            refer = tuple(str(r) for r in raw.get("refer") or [])
            unknown = [r for r in refer if r not in self.referrals]
            if not refer or unknown:
                raise DataError(f"{oos_path}：{where} 的 refer {'未知：' + '、'.join(unknown) if unknown else '为空'}"
                                f"（须为 {ref_path.name} 中的键）")
            try:
                patterns = tuple(re.compile(str(p)) for p in raw.get("patterns") or [])
            except re.error as exc:
                raise DataError(f"{oos_path}：{where} 的 patterns 不是有效的正则表达式：{exc}") from None
            decisive = raw.get("decisive", False)
            if not isinstance(decisive, bool):
                raise DataError(f"{oos_path}：{where} 的 decisive 须为 true 或 false")
            self.topics[tid] = Topic(tid, str(raw["label"]), refer, raw.get("note"), patterns, decisive)
            for p in raw.get("triggers") or []:
                add(p, "trigger", tid, where + " 的 triggers")
            for p in raw.get("words") or []:
                add(p, "word", tid, where + " 的 words")
        self.max_len = max(len(p) for p in self.phrases)
        # topic phrases typed in pinyin letters (gongjijin): whole runs or adjacent runs, exactly
        self.by_pinyin: dict[str, str] = {}
        for p, (kind, tid) in self.phrases.items():
            if tid and len(p) >= 2 and _CJK.search(p):
                sound = "".join(lazy_pinyin(p))
                if len(sound) >= 5:
                    self.by_pinyin.setdefault(sound, p)

    # --- reading a question -----------------------------------------------------------------
    def detect(self, text: str) -> ScopeHit:
        """`text` is the normalised question (simplified, lower case, homophones corrected)."""
        found: list[str] = []
        i, n = 0, len(text)
        while i < n:
            for j in range(min(n, i + self.max_len), i, -1):
                if text[i:j] in self.phrases:
                    found.append(text[i:j])
                    i = j
                    break
            else:
                i += 1
        found += self._pinyin_phrases(text)
        evidence: list[str] = []
        per_topic: dict[str, tuple[list[str], list[str]]] = {}  # topic → (triggers, words)
        for p in dict.fromkeys(found):
            kind, tid = self.phrases[p]
            if kind == "evidence":
                evidence.append(p)
            else:
                per_topic.setdefault(tid, ([], []))[0 if kind == "trigger" else 1].append(p)
        for tid, topic in self.topics.items():
            for pat in topic.patterns:
                m = pat.search(text)
                if m:
                    per_topic.setdefault(tid, ([], []))[0].append(m.group(0))
        if not per_topic:
            return ScopeHit(None, evidence=evidence)
        # the topic most named (a trigger counts two words); words of other topics do not add up
        order = list(self.topics)
        tid = max(per_topic, key=lambda t: (2 * len(per_topic[t][0]) + len(per_topic[t][1]), -order.index(t)))
        return ScopeHit(self.topics[tid], list(dict.fromkeys(per_topic[tid][0])), per_topic[tid][1], evidence)

    def _pinyin_phrases(self, text: str) -> list[str]:
        runs = _LATIN_RUN.findall(text)
        out = []
        for a in range(len(runs)):
            for b in range(a + 1, min(len(runs), a + 4) + 1):
                p = self.by_pinyin.get("".join(runs[a:b]))
                if p:
                    out.append(p)
        return out

    # --- replies --------------------------------------------------------------------------------
    def referral_list(self, ids: tuple[str, ...] | list[str]) -> list[dict[str, Any]]:
        """The referrals named, then 12333 if not among them, each with what it rests on."""
        wanted = list(dict.fromkeys([*ids, "hrss"]))
        return [self.referrals[r] for r in wanted]

    def refusal_message(self, topic: Topic) -> str:
        first = self.referrals[topic.refer[0]]
        where = first["name"] + (f"（{first['phone']}）" if first.get("phone") else "")
        note = f"{topic.note}" if topic.note else ""
        return (f"资料中没有找到关于「{topic.label}」的内容：这两份资料讲的是就业创业政策，没有回答这个问题。{note}"
                f"建议咨询：{where}。就业政策问题可拨打{HOTLINE_TEXT}。")


def input_problem(raw: str) -> tuple[str, str | None, str] | None:
    """For a question with no Chinese characters and no Latin letters or digits (what the text pipeline
    keeps): (reason, script, message), or None when it has something to search."""
    s = unicodedata.normalize("NFKC", raw or "").strip()
    if not s:
        return ("empty", None, "问题是空的，请用一句话说说您想了解什么，例如「失业金能领几个月」。")
    script = script_of(s)
    if script is None:
        return ("symbols_only", None,
                "您输入的只有表情或符号，目前只能理解用中文（汉字）写的问题。请用一句话写下您想了解什么，"
                f"例如「失业金能领几个月」；也可以直接打电话问：{HOTLINE_TEXT}。")
    return ("not_chinese", script, not_chinese_message(script))


SCRIPT_NAMES = {"mongolian": "蒙古文", "cyrillic": "西里尔字母（如西里尔蒙古文）", "latin": "拼音或外文字母",
                "japanese": "日文", "korean": "韩文（朝鲜文）", "other": "这种文字"}
_KANA = re.compile(r"[\u3041-\u309f\u30a0-\u30ff\u31f0-\u31ff]")


def not_chinese_message(script: str) -> str:
    name = SCRIPT_NAMES.get(script, SCRIPT_NAMES["other"])
    msg = (f"目前只能理解中文（汉字）提问，还不能识别{name}。请用汉字写下您的问题，例如「失业金能领几个月」；"
           f"也可以直接打电话问：{HOTLINE_TEXT}。")
    if script == "latin":
        msg += " Only questions written in Chinese are understood for now; please call 12333 or 0482-8231990."
    return msg


def script_of(text: str) -> str | None:
    """The writing system of the letters in `text` (the first one met that is not Han): mongolian,
    cyrillic, latin or other; None when there are no letters (emoji, symbols, punctuation)."""
    for ch in text:
        cp = ord(ch)
        if 0x1800 <= cp <= 0x18AF or 0x11660 <= cp <= 0x1167F:
            return "mongolian"
        if 0x0400 <= cp <= 0x052F or 0x1C80 <= cp <= 0x1C8F:
            return "cyrillic"
        if 0x3041 <= cp <= 0x30FF or 0x31F0 <= cp <= 0x31FF:
            return "japanese"
        if 0xAC00 <= cp <= 0xD7AF or 0x1100 <= cp <= 0x11FF or 0x3130 <= cp <= 0x318F:
            return "korean"
        if unicodedata.category(ch).startswith("L") and not _CJK.match(ch):
            return "latin" if ch.isascii() or "LATIN" in unicodedata.name(ch, "") else "other"
    return None


def written_in_japanese(text: str) -> bool:
    """A sentence in Japanese (kana beside its kanji: 失業保険金はどうやって申請しますか): its kanji alone would be read
    as a Chinese question and answered with what their Chinese reading happens to match."""
    return len(_KANA.findall(text or "")) >= 2


def foreign_letters(text: str) -> str | None:
    """A script other than Han and Latin in a question that also has Chinese: its name (the
    pipeline drops those letters, so the asker is told they were not read)."""
    for ch in text:
        if unicodedata.category(ch).startswith("L") and not _CJK.match(ch) and not ch.isascii() \
                and "LATIN" not in unicodedata.name(ch, ""):
            return SCRIPT_NAMES.get(script_of(ch) or "other", SCRIPT_NAMES["other"])
    return None


def _load_referrals(path: Path, kb) -> dict[str, dict[str, Any]]:
    doc = parse_yaml(path.read_text(encoding="utf-8")) or {}
    texts: dict[str, str] = {}
    for e in kb.entries:
        texts[e.doc_code] = texts.get(e.doc_code, "") + "\n" + _squash(f"{e.question}\n{e.answer}")
    topics = set(getattr(kb.contacts, "topics", {}) or {})
    out: dict[str, dict[str, Any]] = {}
    for rid, raw in (doc.get("referrals") or {}).items():
        where = f"{path}：referrals.{rid}"
        if not isinstance(raw, dict) or not raw.get("name"):
            raise DataError(f"{where} 缺少 name")
        sources = []
        for k, s in enumerate(raw.get("sources") or [], 1):
            basis = s.get("basis")
            if basis not in BASES:
                raise DataError(f"{where}.sources 第 {k} 条：basis 须为 documents 或 public_knowledge")
            if basis == "documents":
                code, quote = str(s.get("document") or ""), str(s.get("quote") or "")
                if code not in texts or not quote or _squash(quote) not in texts[code]:
                    raise DataError(f"{where}.sources 第 {k} 条：{code or '（未写资料）'} 号资料中找不到引文「{quote}」")
                sources.append({"basis": basis, "basis_label": BASES[basis], "document": code, "quote": quote})
            else:
                if not s.get("note"):
                    raise DataError(f"{where}.sources 第 {k} 条：公开信息须写 note（是什么、出自哪里）")
                sources.append({"basis": basis, "basis_label": BASES[basis], "note": str(s["note"])})
        if not sources:
            raise DataError(f"{where} 缺少 sources（资料原文或公开信息）")
        ct = raw.get("contact_topic")
        if ct and ct not in topics:
            raise DataError(f"{where}：contact_topic「{ct}」不在 data/contacts.yaml 的 topics 中")
        phone = str(raw["phone"]) if raw.get("phone") else None
        out[str(rid)] = {"id": str(rid), "name": str(raw["name"]), "phone": phone, "contact_topic": ct,
                         "sources": sources}
    if "hrss" not in out:
        raise DataError(f"{path}：缺少 hrss（12333），每次拒答都要给出它")
    return out


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", s)
