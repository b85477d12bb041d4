"""Question text → tokens: normalise (OpenCC, width, noise), expand colloquial terms, segment.

Three token streams feed the index, each catching a different kind of mismatch:
- words: rjieba with the domain dictionary (失业保险金 stays one word),
- character bigrams: robust to segmentation differences (失业金 vs 失业保险金 share 失业),
- pinyin syllable bigrams: typos and homophones (就业困男 → kun nan = 困难, 创业代款 → dai kuan = 贷款).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

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


class TextPipeline:
    def __init__(self, synonyms: dict[str, str], terms: list[str], stopwords: set[str]):
        self._t2s = opencc.OpenCC("t2s")
        self.synonyms = sorted(synonyms.items(), key=lambda kv: -len(kv[0]))
        self.stopwords = stopwords
        self.jieba = rjieba.Jieba()
        for term in sorted(set(terms) | {t for _, v in synonyms.items() for t in v.split()}):
            if len(term) >= 2:
                self.jieba.add_word(term, 20000, "n")
        self._pinyin_cache: dict[str, str] = {}

    def prepare(self, question: str) -> Prepared:
        raw = question or ""
        text = unicodedata.normalize("NFKC", raw)
        text = self._t2s.convert(text).lower()
        text = _KEEP.sub(" ", text)  # emoji, symbols, punctuation → space
        text = re.sub(r"\s+", " ", text).strip()
        truncated = len(text) > MAX_CHARS
        text = text[:MAX_CHARS]
        extra = []
        for key, target in self.synonyms:
            if key in text:
                # add only the document terms the question does not already contain
                extra.extend(t for t in target.split() if t not in text and t not in extra)
        expanded = text + (" " + " ".join(extra) if extra else "")
        return Prepared(raw, text, expanded, truncated, bool(_CJK.search(text)))

    def words(self, text: str) -> list[str]:
        return [w for w in self.jieba.cut(text, False) if _TOKEN_OK.search(w)]

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
