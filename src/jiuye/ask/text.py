"""Question text → tokens: normalise (OpenCC, width, noise), expand colloquial terms, segment.

Three token streams feed the index, each catching a different kind of mismatch:
- words: rjieba with the domain dictionary (失业保险金 stays one word),
- character bigrams: robust to segmentation differences (失业金 vs 失业保险金 share 失业),
- pinyin syllable bigrams: typos and homophones (就业困男 → kun nan = 困难, 创业代款 → dai kuan = 贷款).

Before any of these, a homophone corrector replaces a stretch of the question that sounds exactly like a
domain term but is written otherwise (时业金 → 失业金, 创业担宝贷款 → 创业担保贷款, shiye金 → 失业金), unless
that stretch holds a real word of its own (事业单位 stays: 事业 is in the segmenter's dictionary).
"""
from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import opencc
import rjieba
from pypinyin import lazy_pinyin

_CJK = re.compile(r"[\u4e00-\u9fff]")
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
_KEEP = re.compile(r"[^\u4e00-\u9fffA-Za-z0-9.%％\s]")
_TOKEN_OK = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")
MAX_CHARS = 300  # longer questions are cut here: the first 300 characters say what is asked


@dataclass(frozen=True)
class Prepared:
    original: str
    text: str  # normalised, noise removed, simplified
    expanded: str  # text + the document terms its colloquial words stand for
    truncated: bool
    has_cjk: bool
    corrections: tuple[tuple[str, str], ...] = ()  # (as typed, domain term) pairs the corrector applied


class TextPipeline:
    def __init__(self, synonyms: dict[str, str], terms: list[str], stopwords: set[str]):
        self._t2s = opencc.OpenCC("t2s")
        self.synonyms = sorted(synonyms.items(), key=lambda kv: -len(kv[0]))
        self.stopwords = stopwords
        self.terms = {t for t in terms if len(t) >= 2}  # the domain's own words (story.py keeps them from a story)
        self.jieba = rjieba.Jieba()
        for term in sorted(set(terms) | {t for _, v in synonyms.items() for t in v.split()}):
            if len(term) >= 2:
                self.jieba.add_word(term, 20000, "n")
        self._pinyin_cache: dict[str, str] = {}
        vocabulary = set(terms) | {k for k in synonyms} | {t for v in synonyms.values() for t in v.split()}
        self.corrector = HomophoneCorrector(vocabulary, self.jieba)
        # what `prepare` depends on: its tables and this module's code (keys caches of prepared texts)
        self.signature = hashlib.sha256(json.dumps([self.synonyms, sorted(set(terms)), sorted(stopwords)],
                                                   ensure_ascii=False).encode() + Path(__file__).read_bytes()).hexdigest()

    def prepare(self, question: str) -> Prepared:
        raw = question or ""
        text = unicodedata.normalize("NFKC", raw)
        text = self._t2s.convert(text).lower()
        text = _KEEP.sub(" ", text)  # emoji, symbols, punctuation → space
        text = re.sub(r"\s+", " ", text).strip()
        truncated = len(text) > MAX_CHARS
        text = text[:MAX_CHARS]
        text, corrections = self.corrector.correct(text)
        extra = []
        for key, target in self.synonyms:
            if key in text:
                # add only the document terms the question does not already contain
                extra.extend(t for t in target.split() if t not in text and t not in extra)
        expanded = text + (" " + " ".join(extra) if extra else "")
        return Prepared(raw, text, expanded, truncated, bool(_CJK.search(text)), corrections)

    @staticmethod
    def fold(text: str) -> str:
        """What `prepare` does to letters, for a passage: half width (NFKC) and lower case — the words are kept as
        written (no synonyms, no corrections). The index folds passages so that 「IYB」 in a heading meets 「iyb」 asked."""
        return unicodedata.normalize("NFKC", text).lower()

    def words(self, text: str) -> list[str]:
        return [w for w in self.jieba.cut(text, False) if _TOKEN_OK.search(w)]

    def search_words(self, text: str) -> list[str]:
        """Words and the shorter words inside them (新型学徒制 → 新型, 学徒, 学徒制, 新型学徒制)."""
        return [w for w in self.jieba.cut_for_search(text, False) if _TOKEN_OK.search(w)]

    def tagged(self, text: str) -> list[tuple[str, str]]:
        """Words with their part of speech (jieba's tags: n noun, v verb, m numeral, r pronoun …)."""
        return [(w, t) for w, t in self.jieba.tag(text, False) if _TOKEN_OK.search(w)]

    def content_words(self, text: str) -> list[str]:
        return [w for w in self.words(text) if w not in self.stopwords]

    @staticmethod
    def char_bigrams(text: str) -> list[str]:
        out = []
        for run in _CJK_RUN.findall(text):
            out.extend(run[i:i + 2] for i in range(len(run) - 1))
            if len(run) == 1:
                out.append(run)
        return out

    def pinyin_bigrams(self, text: str) -> list[str]:
        out = []
        for run in _CJK_RUN.findall(text):
            syl = lazy_pinyin(run)
            out.extend(f"{a}_{b}" for a, b in zip(syl, syl[1:]))
        return out

    def pinyin_of(self, word: str) -> str:
        p = self._pinyin_cache.get(word)
        if p is None:
            p = self._pinyin_cache[word] = "".join(lazy_pinyin(word))
        return p


_UNIT_RUN = re.compile(r"[\u4e00-\u9fffa-z]+")
_PARTICLES = set("了咋怎么啥吗呢吧啊的得着过")  # characters that say nothing of what a word means


# words that ask (几天, 啥时候, 多久 …): a homophone of a term made by changing one of them is the question, not a slip
_ASKING = set("几啥多哪谁咋怎什么吗呢")


class HomophoneCorrector:
    """Replace stretches that are pronounced like a domain term (toneless pinyin, letters typed as
    pinyin count too) but written differently.

    Guards against turning a real word into a term: the stretch must share at least one character
    with the term (or be typed in pinyin letters, at least 4 of them), and must not contain a word of
    the segmenter's dictionary that is not also part of the term (事业单位 keeps 事业).
    """

    def __init__(self, vocabulary: set[str], jieba) -> None:
        by_sound: dict[str, set[str]] = {}
        for term in vocabulary:
            if 2 <= len(term) <= 12 and _CJK_RUN.fullmatch(term):
                by_sound.setdefault("".join(lazy_pinyin(term)), set()).add(term)
        # a sound shared by two different terms is ambiguous: never guess between them
        self.by_sound = {k: next(iter(v)) for k, v in by_sound.items() if len(v) == 1}
        self.terms = vocabulary
        self.lengths = sorted({len(k) for k in self.by_sound}, reverse=True)
        self.jieba = jieba

    def correct(self, text: str) -> tuple[str, tuple[tuple[str, str], ...]]:
        done: list[tuple[str, str]] = []
        out, last = [], 0
        for m in _UNIT_RUN.finditer(text):
            run = m.group()
            if not _CJK.search(run) and len(run) < 4:
                continue
            fixed, pairs = self._correct_run(run)
            if pairs:
                out.append(text[last:m.start()])
                out.append(fixed)
                last = m.end()
                done.extend(pairs)
        if not done:
            return text, ()
        out.append(text[last:])
        return "".join(out), tuple(done)

    def _correct_run(self, run: str) -> tuple[str, list[tuple[str, str]]]:
        # units: one per Han character (its pinyin) or per letter (itself)
        units: list[tuple[str, str]] = []  # (as written, sound)
        for part in re.findall(r"[\u4e00-\u9fff]+|[a-z]+", run):
            if _CJK.match(part):
                units.extend(zip(part, lazy_pinyin(part)))
            else:
                units.extend((ch, ch) for ch in part)
        sounds = [u[1] for u in units]
        written = [u[0] for u in units]
        in_words = self._in_words(run)  # positions inside a real word as written (农机 购置)
        spans = self._word_spans(run)  # each position's word as segmented (乌兰浩特 失业金: 失 is in 失业金)
        # prefix sums of sound lengths let a window's sound length be checked before joining
        result: list[str] = []
        pairs: list[tuple[str, str]] = []
        i = 0
        n = len(units)
        while i < n:
            replaced = False
            for j in range(n, i + 1, -1):  # longest window first
                sound = "".join(sounds[i:j])
                if len(sound) > 60:
                    continue
                term = self.by_sound.get(sound)
                if term is None:
                    continue
                window = "".join(written[i:j])
                if window == term or window in self.terms:
                    break
                if any(a != b and a in _ASKING for a, b in zip(window, term)):
                    continue  # 「得几天」 is not 「来得及」: a slip never turns the word that asks into another
                if _one_slip(window, term):
                    # 实业保险金 is 失业保险金: a long term with one character slipped, real words or not — unless the
                    # slipped character belongs to a word running on past the window (乌兰浩特失业金: 失 is 失业金's)
                    k = i + next(x for x, (a, b) in enumerate(zip(window, term)) if a != b)
                    if k in spans and (spans[k][0] < i or spans[k][1] > j):
                        continue
                elif not self._plausible(window, term) or all(k in in_words for k in range(i, j)):
                    continue  # 农机购置 is not 农机构置: every character of 机购 belongs to a real word (农机, 购置)
                result.append(term)
                pairs.append((window, term))
                i = j
                replaced = True
                break
            if not replaced:
                result.append(written[i])
                i += 1
        return "".join(result), pairs

    def _in_words(self, run: str) -> set[int]:
        """Unit positions that belong to a real word of two or more characters the segmenter finds in the run as
        written (not a domain term). A stretch made only of such positions is written as meant; a typo leaves a
        stray character (时业金 → 时 / 业 / 金领)."""
        if not _CJK.search(run) or len(run) > 200:
            return set()
        out: set[int] = set()
        at = 0
        for w in self.jieba.cut(run, False):
            if len(w) >= 2 and _CJK.match(w) and w not in self.terms:
                out.update(range(at, at + len(w)))
            at += len(w)
        return out

    def _word_spans(self, run: str) -> dict[int, tuple[int, int]]:
        """Unit position → (start, end) of the word of two or more Han characters it belongs to, as the segmenter
        cuts the run (domain terms included)."""
        if not _CJK.search(run) or len(run) > 200:
            return {}
        out: dict[int, tuple[int, int]] = {}
        at = 0
        for w in self.jieba.cut(run, False):
            if len(w) >= 2 and _CJK_RUN.fullmatch(w):
                out.update((k, (at, at + len(w))) for k in range(at, at + len(w)))
            at += len(w)
        return out

    def _plausible(self, window: str, term: str) -> bool:
        han = [c for c in window if _CJK.match(c)]
        letters = len(window) - len(han)
        if letters:
            if letters < 4:
                return False
        elif not (set(han) & set(term)) - _PARTICLES:
            # only a particle in common is no evidence: 半年了 is not 半撵了, 咋证明 is not 咋整明
            return False
        # a real word inside the window that the term does not contain: the writer meant that word
        for w in self.jieba.cut("".join(han), False):
            if len(w) >= 2 and w not in term:
                return False
        return True


def _one_slip(window: str, term: str) -> bool:
    """A term of four or more Han characters written with exactly one other character of the same sound (实业保险金,
    创业担宝贷款): a slip of the input method, not another word — no real phrase sounds like a long term."""
    return (len(window) == len(term) >= 4 and bool(_CJK_RUN.fullmatch(window))
            and sum(a != b for a, b in zip(window, term)) == 1)
