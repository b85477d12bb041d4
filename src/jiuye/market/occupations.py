"""The national occupational classification (国家职业分类大典) and free titles → 职业 codes.

The data: data/market/occupations.yaml (the part of the 2022 edition Jiuye ships; the file says which
part and from where) and data/market/occupation_aliases.yaml (how people name their work, fillers,
certificate names). Both are validated on load; an error names the file and the entry, in Chinese.

Resolution (:meth:`Classification.resolve`) of a title typed freely ("电焊工", "开挖掘机的", "月嫂",
"看孩子的"): the text is normalised like Ask's questions (NFKC, traditional → simplified with OpenCC,
lower case, no punctuation), then matched in this order, each step with a lower confidence:
  1. the whole text is a classification name or an alias;
  2. the same after removing fillers (开…的, …的活, 想找…);
  3. a name or alias inside the text (the longest ones; the more of the text it covers, the surer),
     or the text inside a classification name (挖掘 → 挖掘铲运和桩工机械司机);
  4. rapidfuzz on the characters and on the toneless pinyin (电汗工 → 电焊工, 挖觉机 → 挖掘机).
Text that none of these reach resolves to nothing.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import opencc
from pypinyin import lazy_pinyin
from rapidfuzz import fuzz, process

from jiuye.config import data_dir
from jiuye.knowledge.loader import DataError, parse_yaml

CODE_RE = re.compile(r"^[1-8](-\d{2}(-\d{2}(-\d{2})?)?)?$")
LEVELS = {1: "大类", 2: "中类", 3: "小类", 4: "职业"}
_NOISE = re.compile(r"[^\u4e00-\u9fffa-z0-9]")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_T2S = opencc.OpenCC("t2s")


class MarketDataError(DataError):
    """A market data file is missing or invalid (Chinese message naming the file and the entry)."""


@functools.lru_cache(maxsize=1 << 16)  # the same few thousand titles, towns and districts come back for every row
def normalise(text: str | None) -> str:
    """NFKC, traditional → simplified, lower case, only Han characters, letters and digits."""
    text = unicodedata.normalize("NFKC", text or "")
    return _NOISE.sub("", _T2S.convert(text).lower())


def pinyin_key(text: str) -> str:
    return "".join(lazy_pinyin(text))


def parts(code: str) -> list[str]:
    return code.split("-")


def ancestor(code: str, level: int) -> str | None:
    """The code's 大类 (1), 中类 (2) or 小类 (3) code; None when the code is not that deep."""
    p = parts(code)
    return "-".join(p[:level]) if len(p) >= level else None


@dataclass(frozen=True)
class Occupation:
    code: str
    name: str
    seen: str | None = None
    uncertain: bool = False

    @property
    def level(self) -> int:
        return len(parts(self.code))

    @property
    def parent(self) -> str | None:
        p = parts(self.code)
        return "-".join(p[:-1]) if len(p) > 1 else None


@dataclass(frozen=True)
class Resolution:
    code: str
    name: str  # the classification's name of the code
    matched: str  # the name or alias that matched (as written in the data)
    confidence: float  # 0..1
    how: str  # 名称一致 / 常用说法 / 去掉口头语后一致 / 包含 / 相近写法 / 读音相近


@dataclass(frozen=True)
class Mention:
    """A name or alias found inside a longer text (search queries)."""
    start: int  # in the normalised text
    end: int
    phrase: str
    codes: tuple[str, ...]


@dataclass
class Classification:
    entries: dict[str, Occupation]
    aliases: dict[str, tuple[str, ...]]  # normalised phrase → codes (names included)
    alias_written: dict[str, str]  # normalised phrase → as written in the data
    suffixes: tuple[str, ...]
    prefixes: tuple[str, ...]
    certificates: dict[str, str]
    source: str = ""
    coverage: str = ""
    _names: dict[str, str] = field(default_factory=dict)  # normalised official name → code

    def __post_init__(self) -> None:
        self._names = {normalise(o.name): o.code for o in self.entries.values() if o.level == 4}
        self._phrases = sorted(self.aliases, key=len, reverse=True)
        self._pinyin = [pinyin_key(p) for p in self._phrases]
        self._job_names = [(normalise(o.name), o.code) for o in self.entries.values() if o.level == 4]

    # -- lookups -----------------------------------------------------------------------------
    def name(self, code: str | None) -> str:
        """A person-readable name of any code: its own, else its nearest known ancestor's + 类."""
        if not code:
            return ""
        if code in self.entries:
            return self.entries[code].name
        for level in (3, 2, 1):
            a = ancestor(code, level)
            if a and a in self.entries and a != code:
                return f"{self.entries[a].name}（具体职业未收录）"
        return "未收录的职业"

    def is_valid_code(self, code: str) -> bool:
        return bool(CODE_RE.match(code))

    def certificate(self, text: str) -> str:
        n = normalise(text)
        return self.certificates.get(n, n)

    # -- resolution ----------------------------------------------------------------------------
    def _variants(self, t: str) -> list[str]:
        """The text with fillers removed from both ends (longest first), every distinct result."""
        out, frontier = [], [t]
        seen = {t}
        while frontier:
            nxt = []
            for s in frontier:
                for suf in self.suffixes:
                    if s.endswith(suf) and len(s) > len(suf):
                        nxt.append(s[: -len(suf)])
                for pre in self.prefixes:
                    if s.startswith(pre) and len(s) > len(pre):
                        nxt.append(s[len(pre):])
            frontier = [s for s in nxt if s not in seen]
            seen.update(frontier)
            out.extend(frontier)
        return out

    def _add(self, found: dict[str, Resolution], codes, phrase: str, conf: float, how: str) -> None:
        for i, code in enumerate(codes):
            c = round(max(0.0, conf - 0.02 * i), 3)
            if code not in found or found[code].confidence < c:
                written = self.alias_written.get(phrase, phrase)
                found[code] = Resolution(code, self.name(code), written, c, how)

    def resolve(self, text: str | None, limit: int = 5) -> list[Resolution]:
        """A title typed freely → the most likely 职业 codes, best first (empty: nothing found)."""
        t = normalise(text)
        if len(t) < 1 or not _CJK.search(t) and len(t) < 3:
            return []
        found: dict[str, Resolution] = {}
        # 1. the whole text
        if t in self._names:
            self._add(found, (self._names[t],), t, 1.0, "名称一致")
        if t in self.aliases:
            self._add(found, self.aliases[t], t, 0.95, "常用说法")
        variants = self._variants(t)
        if not found:
            for v in variants:
                if v in self.aliases:
                    self._add(found, self.aliases[v], v, 0.9, "去掉口头语后一致")
        if found:
            return sorted(found.values(), key=lambda r: -r.confidence)[:limit]
        # 3. containment, on the text and its filler-free variants (shortest variant = most content)
        core = min([t, *variants], key=len)
        mentions = self.mentions(t)
        for m in mentions:
            cover = (m.end - m.start) / max(len(core), 1)
            self._add(found, m.codes, m.phrase, 0.55 + 0.35 * min(cover, 1.0), "包含")
        if mentions:  # what the names found do not cover may be a misspelt name (挖觉机司机)
            rest = list(t)
            for m in mentions:
                rest[m.start:m.end] = [" "] * (m.end - m.start)
            for run in "".join(rest).split():
                self._fuzzy(found, run)
        if len(core) >= 2:
            for name, code in self._job_names:
                if core in name and core != name:
                    self._add(found, (code,), name, 0.5 + 0.35 * len(core) / len(name), "包含")
        if found:
            return sorted(found.values(), key=lambda r: -r.confidence)[:limit]
        # 4. fuzzy: characters, then sound
        self._fuzzy(found, core)
        return sorted(found.values(), key=lambda r: -r.confidence)[:limit]

    def _fuzzy(self, found: dict[str, Resolution], core: str) -> None:
        if len(core) < 2 or not _CJK.search(core):
            return
        for phrase, score, _ in process.extract(core, self._phrases, scorer=fuzz.ratio, score_cutoff=75, limit=3):
            self._add(found, self.aliases[phrase], phrase, 0.8 * score / 100, "相近写法")
        py = pinyin_key(core)
        for _, score, idx in process.extract(py, self._pinyin, scorer=fuzz.ratio, score_cutoff=90, limit=3):
            phrase = self._phrases[idx]
            if abs(len(phrase) - len(core)) <= 1:
                self._add(found, self.aliases[phrase], phrase, 0.75 * score / 100, "读音相近")

    def mentions(self, text_normalised: str) -> list[Mention]:
        """Names and aliases inside a normalised text, longest first, not overlapping."""
        taken = [False] * len(text_normalised)
        out = []
        for phrase in self._phrases:
            if len(phrase) < 2:
                continue
            start = text_normalised.find(phrase)
            while start >= 0:
                end = start + len(phrase)
                if not any(taken[start:end]):
                    for i in range(start, end):
                        taken[i] = True
                    out.append(Mention(start, end, phrase, self.aliases[phrase]))
                start = text_normalised.find(phrase, end)
        return sorted(out, key=lambda m: m.start)


# ---------------------------------------------------------------------------------------------
# loading and validation


def _fail(path: Path, entry: str, problem: str) -> MarketDataError:
    return MarketDataError(f"数据文件 {path}：条目「{entry}」：{problem}")


def _read(path: Path) -> dict:
    try:
        raw = parse_yaml(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise MarketDataError(f"数据文件 {path}：找不到文件") from None
    except Exception as exc:  # noqa: BLE001 - any YAML syntax error
        raise MarketDataError(f"数据文件 {path}：不是有效的 YAML（{exc}）") from None
    if not isinstance(raw, dict):
        raise MarketDataError(f"数据文件 {path}：内容应为键值表")
    return raw


def load_classification(root: Path | None = None) -> Classification:
    root = Path(root) if root else data_dir()
    occ_path, alias_path = root / "market" / "occupations.yaml", root / "market" / "occupation_aliases.yaml"
    raw = _read(occ_path)
    entries: dict[str, Occupation] = {}
    for i, e in enumerate(raw.get("entries") or []):
        if not isinstance(e, dict):
            raise _fail(occ_path, f"第 {i + 1} 条", "应为 {code: …, name: …}")
        code = str(e.get("code", "")).strip()
        if not CODE_RE.match(code):
            raise _fail(occ_path, code or f"第 {i + 1} 条", "编码格式应为 大类-中类-小类-职业，如 6-29-01-01")
        name = e.get("name")
        if not isinstance(name, str) or not name.strip():
            raise _fail(occ_path, code, "缺少名称（name）")
        unknown = set(e) - {"code", "name", "seen", "uncertain"}
        if unknown:
            raise _fail(occ_path, code, f"未知的字段 {sorted(unknown)}")
        if code in entries:
            raise _fail(occ_path, code, "编码重复")
        entries[code] = Occupation(code, name.strip(), e.get("seen"), bool(e.get("uncertain", False)))
    if not entries:
        raise MarketDataError(f"数据文件 {occ_path}：没有任何条目（entries）")
    for o in entries.values():
        if o.parent and o.parent not in entries:
            raise _fail(occ_path, o.code, f"上一级编码 {o.parent} 不存在")
    araw = _read(alias_path)
    fillers = araw.get("fillers") or {}
    aliases: dict[str, tuple[str, ...]] = {}
    written: dict[str, str] = {}
    for o in entries.values():
        if o.level == 4:
            n = normalise(o.name)
            aliases[n] = (o.code,) + tuple(c for c in aliases.get(n, ()) if c != o.code)
            written[n] = o.name
    for phrase, codes in (araw.get("aliases") or {}).items():
        key = normalise(str(phrase))
        if not key:
            raise _fail(alias_path, str(phrase), "说法为空")
        if not isinstance(codes, list) or not codes:
            raise _fail(alias_path, str(phrase), "应为职业编码的列表，如 [6-18-02-04]")
        for c in codes:
            if str(c) not in entries:
                raise _fail(alias_path, str(phrase), f"编码 {c} 不在 occupations.yaml 中")
            if entries[str(c)].level != 4:
                raise _fail(alias_path, str(phrase), f"编码 {c} 不是职业（细类）编码")
        if key in aliases and key in written and written[key] != phrase:
            raise _fail(alias_path, str(phrase), f"与已有的名称或说法「{written[key]}」重复")
        aliases[key] = tuple(str(c) for c in codes)
        written[key] = str(phrase)
    certs = {}
    for k, v in (araw.get("certificates") or {}).items():
        if not isinstance(v, str) or not v.strip():
            raise _fail(alias_path, str(k), "证书应对应一个名称")
        certs[normalise(str(k))] = normalise(v)
    return Classification(entries, aliases, written,
                          tuple(sorted((normalise(s) for s in fillers.get("suffixes", [])), key=len, reverse=True)),
                          tuple(sorted((normalise(s) for s in fillers.get("prefixes", [])), key=len, reverse=True)),
                          certs, str(raw.get("edition", "")), str(raw.get("coverage", "")))


@functools.lru_cache(maxsize=4)
def _cached(root: str) -> Classification:
    return load_classification(Path(root))


def get_classification(root: Path | None = None) -> Classification:
    """The classification, loaded once per data folder."""
    return _cached(str(Path(root) if root else data_dir()))
