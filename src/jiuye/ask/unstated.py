"""Details the documents leave out (data/ask/unstated.yaml): a question that asks one of them — how long a
review or a payment takes, which bank lends, which firms come to a fair, what something costs — about a policy
whose passages never state it is told so, with that policy's phone numbers and a link to what the documents do
say, rather than shown a passage that does not answer.

A detail marked `local` (an amount) counts as stated only in a sentence of the policy's passages that names
something the asking clause names: the 失业保险 passages print amounts, but none for the 丧葬补助金 they list."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from jiuye.knowledge.loader import DataError, parse_yaml

_SENTENCE_END = re.compile(r"[。；;！？!?\n]+")
_FEW = 10  # a word named by more than a tenth of the policies names nothing in particular
_DF_CACHE = 20_000  # words whose policy counts are kept
_NOT_NAMING = set("mrpdcufxqyeo")  # numerals, pronouns, prepositions, adverbs …: 「一个」「几年」「自己」 name nothing


@dataclass(frozen=True)
class Detail:
    id: str
    label: str
    asks: tuple[re.Pattern, ...]
    stated: tuple[re.Pattern, ...]
    local: bool = False  # stated only in a sentence naming what the asking clause names


class UnstatedDetails:
    def __init__(self, path: Path, entries, tp=None) -> None:
        doc = parse_yaml(path.read_text(encoding="utf-8")) if path.exists() else {}
        self.details: list[Detail] = []
        self.generic: set[str] = {str(w) for w in (doc or {}).get("generic") or []}
        self._tp = tp  # the text pipeline: a clause's words (a local detail needs it)
        for n, raw in enumerate((doc or {}).get("details") or [], 1):
            where = f"{path}：第 {n} 项（{raw.get('id') or '没有 id'}）"
            if not raw.get("id") or not raw.get("label") or not raw.get("asks") or not isinstance(raw.get("stated"), list):
                raise DataError(f"{where} 须有 id、label、asks 和 stated（stated 可为空表：资料中哪项政策都没写）")
            try:
                asks = tuple(re.compile(str(p)) for p in raw["asks"])
                stated = tuple(re.compile(str(p)) for p in raw["stated"])
            except re.error as exc:
                raise DataError(f"{where} 的正则表达式无效：{exc}") from None
            self.details.append(Detail(str(raw["id"]), str(raw["label"]), asks, stated, bool(raw.get("local"))))
        # policy → the text of all its passages (a detail stated anywhere in the policy counts)
        self._texts: dict[str, str] = {}
        self._passages: dict[str, list] = {}  # policy → its passages
        self._df: dict[str, int] = {}  # word → how many policies name it
        for e in entries:
            for p in e.policies:
                self._texts[p] = self._texts.get(p, "") + "\n" + e.question + "\n" + e.answer
                self._passages.setdefault(p, []).append(e)

    def missing(self, text: str, entries) -> tuple[Detail, object, str] | None:
        """The detail `text` asks that the documents do not state, with the passage it is about and, for a local
        detail, the word it is about. The passage is the first of `entries` (Ask's ranked passages); for a local
        detail, the first whose policy names every word of the asking clause (「三支一扶一个月工资多少钱」: the 基层就业
        passage, though a 公益性岗位 passage ranked first), else, when the asking clause itself names them, a passage
        of the policies that do (「丧葬补助金」 is named only among the 失业保险金 passages). None: nothing such is
        asked, the passage belongs to no policy, or the documents state it."""
        entries = [e for e in entries if any(p in self._texts for p in e.policies)]
        if not entries:
            return None
        first = entries[0]
        for d in self.details:
            m = next((m for p in d.asks if (m := p.search(text))), None)
            if m is None:
                continue
            if not d.local:
                if not any(s.search(self._body(first.policies)) for s in d.stated):  # []: stated for no policy
                    return d, first, ""
                continue
            words, own = self._clause_words(text, m)
            if not words:
                continue
            naming = [e.policies for e in entries]
            if own:  # the thing asked about named in the asking clause: any policy naming it may be the one
                naming += [[p] for p, body in self._texts.items() if all(w in body for w in words)]
            for policies in naming:  # the first policy (or a ranked passage's policies) naming every word is judged
                verdict = self._stated_near(d, words, policies)
                if verdict is not None:
                    if verdict:
                        break
                    about = next((e for e in entries if e.policies == policies), None) or next(
                        (e for e in self._passages[policies[0]] if words[0] in e.question + e.answer), first)
                    return d, about, _span(text, words)
        return None

    def _body(self, policies) -> str:
        return "\n".join(self._texts[p] for p in policies if p in self._texts)

    def _clause_words(self, text: str, m: re.Match) -> tuple[list[str], bool]:
        """The words naming what the asking clause asks about (「丧葬补助金具体能给多少钱」 → 丧葬, 补助金): words of two
        characters or more, not numerals or pronouns (「一个」「自己」), not generic, named by some policy but by few
        (「冬天」 locates nothing, 「创业」 names nothing in particular); when the clause has none (「…取暖补贴 一年给
        多少钱」), the clause before it — then only Ask's own passages are judged by them (False): a story's words
        (「在社区搞卫生」) must not send the amount to a policy that happens to name 卫生."""
        if self._tp is None:
            return [], True
        start = text.rfind(" ", 0, m.start()) + 1
        end = text.find(" ", m.end())
        words = self._naming(text[start:] if end < 0 else text[start:end])
        if words or start == 0:
            return words, True
        return self._naming(text[text.rfind(" ", 0, start - 1) + 1:start - 1]), False

    def _naming(self, clause: str) -> list[str]:
        limit = max(2, len(self._texts) // _FEW)
        return [w for w, tag in self._tp.tagged(clause) if len(w) >= 2 and tag[:1] not in _NOT_NAMING
                and w not in self.generic and 1 <= self._policies_naming(w) <= limit]

    def _policies_naming(self, word: str) -> int:
        if word not in self._df:
            if len(self._df) >= _DF_CACHE:  # words come from questions: never let the cache grow without end
                self._df.clear()
            self._df[word] = sum(word in body for body in self._texts.values())
        return self._df[word]

    def _stated_near(self, d: Detail, words: list[str], policies) -> bool | None:
        """Whether the policies' passages state the detail where they name a word of the asking clause: in a passage
        whose question names it (「企业新型学徒制补贴标准？」 and its answer), or in a sentence naming it or the two after
        it (a heading 「…发放标准」 and its list). None when there is nothing to judge by: the passages never name one
        of the words (「新型学徒制」 asked, a start-up passage found)."""
        body = self._body(policies)
        if not body or any(w not in body for w in words):
            return None
        names = {w for x in words for w in self._tp.search_words(x) if len(w) >= 2 and w not in self.generic and w in body}
        near = [e.question + "\n" + e.answer for p in policies for e in self._passages.get(p, ())
                if any(w in e.question for w in names)]
        sentences = _SENTENCE_END.split(body)
        near += [" ".join(sentences[i:i + 3]) for i, s in enumerate(sentences) if any(w in s for w in names)]
        return any(p.search(s) for s in near for p in d.stated)


def _span(text: str, words: list[str]) -> str:
    """The stretch of the question from the first word to the last (丧葬, 补助金 → 丧葬补助金)."""
    i = text.find(words[0])
    j = text.find(words[-1], i)
    return text[i:j + len(words[-1])] if i >= 0 and j >= i and j - i <= 12 else words[0]
